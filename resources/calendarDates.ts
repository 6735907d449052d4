/**
 * `calendarDates`: the days of each calendar × schedule structure, under the calendar code rule.
 * With the Texas extension only instructional days are reported (TEA C208 `01`, with the day's
 * operational minutes in `_ext.TX` — operational or instructional minutes, never both); without
 * it, every day with the core event its local day code corresponds to.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { calendarCode, STRUCTURE_COUNT_SQL } from './calendarCode.js';
import { edfiSchoolId } from './schoolId.js';

interface Row {
  dayId: number;
  date: string;
  calendarId: number;
  structureId: number;
  structures: number;
  schoolId: number;
  endYear: number;
  instruction: boolean;
  event: string | null;
  edFiSchoolNumber: number | null;
  stateSchoolNumber: string | null;
  minutes: number | null;
}

const TEA_INSTRUCTIONAL_DAY = 'uri://tea.texas.gov/CalendarEventDescriptor#01';

export const CALENDAR_DATES_SQL = `
  SELECT d.dayID AS "dayId", to_char(d.date, 'YYYY-MM-DD') AS date, c.calendarID AS "calendarId", d.structureID AS "structureId",
         ${STRUCTURE_COUNT_SQL} AS structures, c.schoolID AS "schoolId", c.endYear AS "endYear", d.instruction,
         lc.stateCode AS event, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber", m.minutes
    FROM day d
    JOIN calendar c ON c.calendarID = d.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    LEFT JOIN localcode lc ON lc.category = 'dayEvent' AND lc.schoolID = c.schoolID AND lc.code = d.eventCode
    -- The day's bell schedule (early release on early-release days) gives its operational minutes.
    LEFT JOIN LATERAL (
      SELECT (extract(epoch FROM max(p.endTime) - min(p.startTime)) / 60)::int AS minutes
        FROM period p
       WHERE p.periodScheduleID = (SELECT ps.periodScheduleID FROM periodschedule ps WHERE ps.structureID = d.structureID
                                    ORDER BY (ps.name ILIKE '%early%') <> (d.eventCode = 'ER'), ps.periodScheduleID LIMIT 1)
    ) m ON true
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR d.dayID = ANY(${KEY_IDS}))
     AND ($4 OR d.instruction)
   ORDER BY d.dayID`;

export function calendarDateRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const doc: EdfiDocument = {
    calendarReference: {
      calendarCode: calendarCode(row.calendarId, row.structureId, row.structures),
      schoolId: 'id' in school ? school.id : null,
      schoolYear: row.endYear,
    },
    date: row.date,
    calendarEvents: [
      {
        calendarEventDescriptor:
          ctx.teds !== undefined
            ? TEA_INSTRUCTIONAL_DAY
            : `uri://ed-fi.org/CalendarEventDescriptor#${row.event ?? (row.instruction ? 'Instructional day' : 'Non-instructional day')}`,
      },
    ],
  };
  if (ctx.teds !== undefined && row.minutes !== null) doc._ext = { TX: { schoolDayOperationalMinutes: Math.min(600, Math.max(0, row.minutes)) } };
  const base = { sourceKey: String(row.dayId), schoolId: row.schoolId, doc };
  return 'error' in school ? { ...base, error: school.error } : base;
}

export const calendarDates = sqlMapper<Row>({
  resource: 'ed-fi/calendarDates',
  sql: CALENDAR_DATES_SQL,
  codeSets: [],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      day: 'key',
      calendar: { sql: 'SELECT dayID::text AS object FROM day WHERE calendarID::text = ANY($1)' },
      school: {
        sql: 'SELECT d.dayID::text AS object FROM day d JOIN calendar c ON c.calendarID = d.calendarID WHERE c.schoolID::text = ANY($1)',
        reads: ['edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
      },
      // A calendar's structure count decides its calendar code (the code every date refers to).
      schedulestructure: {
        sql: 'SELECT d.dayID::text AS object FROM schedulestructure ss JOIN day d ON d.calendarID = ss.calendarID WHERE ss.structureID::text = ANY($1)',
      },
      periodschedule: {
        sql: 'SELECT d.dayID::text AS object FROM periodschedule ps JOIN day d ON d.structureID = ps.structureID WHERE ps.periodScheduleID::text = ANY($1)',
      },
      period: {
        sql: 'SELECT d.dayID::text AS object FROM period p JOIN periodschedule ps ON ps.periodScheduleID = p.periodScheduleID JOIN day d ON d.structureID = ps.structureID WHERE p.periodID::text = ANY($1)',
      },
      localcode: 'everything',
    },
  },
  // $4: every day without the Texas extension; Texas reports school days only (see the SQL).
  params: ['schoolYear', 'schoolId', 'sourceKeys', (ctx) => ctx.teds === undefined],
  record: calendarDateRecord,
});
