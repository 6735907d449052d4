/**
 * `classPeriods`: each period name a campus uses in the year, once per campus (the SIS repeats
 * the names in every bell schedule), with every meeting time it has across the bell schedules.
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row extends SchoolNumbers {
  schoolId: number;
  name: string;
  times: string[];
}

export const CLASS_PERIODS_SQL = `
  SELECT c.schoolID AS "schoolId", p.name, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber",
         ARRAY(SELECT DISTINCT to_char(p2.startTime, 'HH24:MI:SS') || '-' || to_char(p2.endTime, 'HH24:MI:SS')
                 FROM period p2 JOIN periodschedule ps2 ON ps2.periodScheduleID = p2.periodScheduleID
                 JOIN schedulestructure ss2 ON ss2.structureID = ps2.structureID JOIN calendar c2 ON c2.calendarID = ss2.calendarID
                WHERE c2.schoolID = c.schoolID AND c2.endYear = $1 AND p2.name = p.name ORDER BY 1) AS times
    FROM period p
    JOIN periodschedule ps ON ps.periodScheduleID = p.periodScheduleID
    JOIN schedulestructure ss ON ss.structureID = ps.structureID
    JOIN calendar c ON c.calendarID = ss.calendarID
    JOIN school s ON s.schoolID = c.schoolID
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR c.schoolID || ':' || p.name = ANY($3))
   GROUP BY c.schoolID, p.name, s.edFiSchoolNumber, s.stateSchoolNumber
   ORDER BY c.schoolID, p.name`;

export function classPeriodRecord(row: Row): MappedRecord {
  const school = edfiSchoolId(row);
  const doc = {
    classPeriodName: row.name,
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    meetingTimes: row.times.map((t) => {
      const [startTime, endTime] = t.split('-');
      return { startTime: startTime ?? '', endTime: endTime ?? '' };
    }),
  };
  const base = { sourceKey: `${row.schoolId}:${row.name}`, schoolId: row.schoolId, doc };
  return 'error' in school ? { ...base, error: school.error } : base;
}

export const classPeriods = sqlMapper<Row>({
  resource: 'ed-fi/classPeriods',
  sql: CLASS_PERIODS_SQL,
  codeSets: [],
  revision: 1,
  // A school's name or address is no change to its class periods: they read its keys and numbers.
  changes: readWholeOnAnyChange(['calendar', 'period', 'periodschedule', 'schedulestructure', 'school'], {
    school: ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
  }),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: classPeriodRecord,
});
