/**
 * `bellSchedules` (the guide's Bell Schedule Entry): each bell schedule of a campus's primary
 * schedule structure (regular, early release) with its class periods and times.
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row extends SchoolNumbers {
  periodScheduleId: number;
  schoolId: number;
  name: string;
  periods: string[];
  startTime: string | null;
  endTime: string | null;
  minutes: number | null;
}

export const BELL_SCHEDULE_WITHOUT_PERIODS = 'Class Periods: the bell schedule has no periods (Ed-Fi requires at least one). Add its periods in the SIS.';

export const BELL_SCHEDULES_SQL = `
  SELECT ps.periodScheduleID AS "periodScheduleId", c.schoolID AS "schoolId", ps.name,
         ARRAY(SELECT p.name FROM period p WHERE p.periodScheduleID = ps.periodScheduleID ORDER BY p.seq) AS periods,
         (SELECT to_char(min(p.startTime), 'HH24:MI:SS') FROM period p WHERE p.periodScheduleID = ps.periodScheduleID) AS "startTime",
         (SELECT to_char(max(p.endTime), 'HH24:MI:SS') FROM period p WHERE p.periodScheduleID = ps.periodScheduleID) AS "endTime",
         (SELECT sum(extract(epoch FROM p.endTime - p.startTime) / 60)::int FROM period p WHERE p.periodScheduleID = ps.periodScheduleID AND NOT p.nonInstructional) AS minutes,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM periodschedule ps
    JOIN schedulestructure ss ON ss.structureID = ps.structureID AND ss.isPrimary
    JOIN calendar c ON c.calendarID = ss.calendarID
    JOIN school s ON s.schoolID = c.schoolID
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND NOT c.summerSchool
     AND ($2::int IS NULL OR c.schoolID = $2) AND ($3::text[] IS NULL OR ps.periodScheduleID = ANY(${KEY_IDS}))
   ORDER BY ps.periodScheduleID`;

export function bellScheduleRecord(row: Row): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const doc = {
    bellScheduleName: row.name,
    schoolReference: { schoolId },
    classPeriods: row.periods.map((classPeriodName) => ({ classPeriodReference: { classPeriodName, schoolId } })),
    ...(row.startTime !== null ? { startTime: row.startTime } : {}),
    ...(row.endTime !== null ? { endTime: row.endTime } : {}),
    ...(row.minutes !== null ? { totalInstructionalTime: row.minutes } : {}),
  };
  const base = { sourceKey: String(row.periodScheduleId), schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  if (row.periods.length === 0) return { ...base, dependency: BELL_SCHEDULE_WITHOUT_PERIODS };
  return base;
}

export const bellSchedules = sqlMapper<Row>({
  resource: 'ed-fi/bellSchedules',
  sql: BELL_SCHEDULES_SQL,
  codeSets: [],
  revision: 1,
  // A school's name or address is no change to its bell schedules: they read its keys and numbers.
  changes: readWholeOnAnyChange(['calendar', 'period', 'periodschedule', 'schedulestructure', 'school'], {
    school: ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
  }),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: bellScheduleRecord,
});
