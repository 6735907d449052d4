/**
 * `calendars` (seed 001, Calendars Texas v4.0): one record per calendar × schedule structure;
 * excluded schools and calendars send nothing; the type goes out only through its mapping.
 */
import type { EdfiDocument, Json, MappedRecord, PreferenceOption, PublishContext } from './mapper.js';
import { optionOn, sqlMapper, KEY_IDS } from './mapper.js';
import { calendarCode, STRUCTURE_COUNT_SQL } from './calendarCode.js';
import { edfiSchoolId } from './schoolId.js';
import { readWholeOnAnyChange } from '../publishing/changeSet.js';

interface Row {
  structureId: number;
  calendarId: number;
  schoolId: number;
  endYear: number;
  type: string | null;
  structures: number;
  edFiSchoolNumber: number | null;
  stateSchoolNumber: string | null;
  grades: string[];
}

/** The seed's error-log entry for a calendar without a (mapped) type, with its fix. */
const CALENDARS = 'ed-fi/calendars';

/** Texas does not report a calendar's grade levels, so they are off unless a district turns them on. */
export const REPORT_GRADE_LEVELS: PreferenceOption = {
  key: 'reportGradeLevels',
  label: 'Report grade levels',
  help: "send each calendar's mapped grade levels (Texas does not collect them)",
  default: false,
};

export const CALENDAR_TYPE_REQUIRED =
  "Validation of 'Calendar' failed. CalendarTypeDescriptorId is required. Fix: the Type field is not selected on the Calendar being sent, or the Type selected is not mapped to an Ed-Fi code (Mapping → Calendar Types).";

export const CALENDARS_SQL = `
  SELECT ss.structureID AS "structureId", c.calendarID AS "calendarId", c.schoolID AS "schoolId", c.endYear AS "endYear", c.type,
         ${STRUCTURE_COUNT_SQL} AS structures, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber",
         ARRAY(SELECT g.name FROM gradelevel g WHERE g.calendarID = c.calendarID ORDER BY g.seq) AS grades
    FROM calendar c
    JOIN school s ON s.schoolID = c.schoolID
    JOIN schedulestructure ss ON ss.calendarID = c.calendarID
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR ss.structureID = ANY(${KEY_IDS}))
   ORDER BY ss.structureID`;

export function calendarRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const base = { sourceKey: String(row.structureId), schoolId: row.schoolId };
  const doc: EdfiDocument = {
    calendarCode: calendarCode(row.calendarId, row.structureId, row.structures),
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    schoolYearTypeReference: { schoolYear: row.endYear },
  };
  const type = ctx.descriptors.mapped('calendar-types', row.type, row.schoolId);
  if (type !== undefined) doc.calendarTypeDescriptor = type;
  if (optionOn(ctx.preferences(CALENDARS), REPORT_GRADE_LEVELS)) {
    // Only grade levels with a mapping are reported (seed 001: "a mapping exists already").
    const grades: Json[] = row.grades.flatMap((g) => {
      const uri = ctx.descriptors.mapped('grade-levels', g, row.schoolId);
      return uri === undefined ? [] : [{ gradeLevelDescriptor: uri }];
    });
    if (grades.length > 0) doc.gradeLevels = grades;
  }
  if ('error' in school) return { ...base, doc, error: school.error };
  if (type === undefined) return { ...base, doc, error: CALENDAR_TYPE_REQUIRED };
  return { ...base, doc };
}

export const calendars = sqlMapper<Row>({
  resource: CALENDARS,
  preferenceOptions: [REPORT_GRADE_LEVELS],
  sql: CALENDARS_SQL,
  codeSets: ['calendar-types', 'grade-levels'],
  revision: 1,
  // A school's name or address is no change to its calendars: they read its keys and numbers.
  changes: readWholeOnAnyChange(['calendar', 'gradelevel', 'schedulestructure', 'school'], {
    school: ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
  }),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: calendarRecord,
});
