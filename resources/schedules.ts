/**
 * Organization Schedules: `courseOfferings` (a course in a term of a campus) and `sections` (a
 * class of an offering, once per term it meets in). Both need the course's state course number —
 * without it they wait as the guide's "Alternate Course Number not set"; a section that meets in
 * no period waits as "Missing Section Meeting Record".
 */
import { localStateValueSql } from './stateCode.js';
import type { EdfiDocument, MappedRecord } from './mapper.js';
import { integerIds, sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { sessionName } from './sessions.js';

export const ALTERNATE_COURSE_NUMBER_NOT_SET =
  "Alternate Course Number not set: the course has no (valid) state course number. Update the Alternate Course Number on the course and run 'Now – Changes' on Organization Schedules.";
export const MISSING_SECTION_MEETING =
  "Missing Section Meeting Record: the section does not have a period selected. Add a period to the section and run 'Now – Changes' on Organization Schedules.";

/** The changed rows' keys (`$1`) as integer ids, so an id column's index can find them. */
const CHANGED_IDS = integerIds('$1');

/** The term of an offering or placement as the session it belongs to (the primary structure's term of the same name). */
export const TERM_STATE = localStateValueSql('term', 't.termType', 't.name');

interface OfferingRow extends SchoolNumbers {
  offeringId: number;
  schoolId: number;
  endYear: number;
  localCourseCode: string;
  title: string;
  stateCode: string | null;
  leaNumber: string;
  termState: string;
  minutes: number | null;
}

export const OFFERINGS_SQL = `
  SELECT o.offeringID AS "offeringId", c.schoolID AS "schoolId", c.endYear AS "endYear", co.number AS "localCourseCode",
         coalesce(o.localTitle, co.name) AS title, co.stateCode AS "stateCode", d.number AS "leaNumber", ${TERM_STATE} AS "termState",
         o.instructionalMinutes AS minutes, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM courseoffering o
    JOIN course co ON co.courseID = o.courseID
    JOIN term t ON t.termID = o.termID
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    JOIN district d ON d.districtID = s.districtID
   WHERE c.endYear = $1 AND co.active AND NOT c.exclude AND NOT s.exclude
     AND ($2::int IS NULL OR c.schoolID = $2) AND ($3::text[] IS NULL OR o.offeringID = ANY(${KEY_IDS}))
   ORDER BY o.offeringID`;

function sessionReference(schoolId: number | null, endYear: number, termState: string): EdfiDocument {
  return { schoolId, schoolYear: endYear, sessionName: sessionName(endYear, termState) };
}

export function courseOfferingRecord(row: OfferingRow): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const doc: EdfiDocument = {
    localCourseCode: row.localCourseCode,
    schoolReference: { schoolId },
    sessionReference: sessionReference(schoolId, row.endYear, row.termState),
    ...(row.stateCode !== null ? { courseReference: { courseCode: row.stateCode, educationOrganizationId: Number(row.leaNumber) } } : {}),
    localCourseTitle: row.title.slice(0, 60),
    ...(row.minutes !== null ? { instructionalTimePlanned: row.minutes } : {}),
  };
  const base = { sourceKey: String(row.offeringId), schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  if (row.stateCode === null) return { ...base, dependency: ALTERNATE_COURSE_NUMBER_NOT_SET };
  return base;
}

export const courseOfferings = sqlMapper<OfferingRow>({
  resource: 'ed-fi/courseOfferings',
  sql: OFFERINGS_SQL,
  codeSets: [],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      courseoffering: 'key',
      course: {
        sql: `SELECT offeringID::text AS object FROM courseoffering WHERE courseID = ANY(${CHANGED_IDS})`,
        reads: ['number', 'name', 'stateCode', 'active', 'calendarID'],
      },
      term: { sql: `SELECT offeringID::text AS object FROM courseoffering WHERE termID = ANY(${CHANGED_IDS})`, reads: ['termType', 'name'] },
      calendar: {
        sql: 'SELECT o.offeringID::text AS object FROM courseoffering o JOIN course co ON co.courseID = o.courseID WHERE co.calendarID::text = ANY($1)',
      },
      school: {
        sql: 'SELECT o.offeringID::text AS object FROM courseoffering o JOIN course co ON co.courseID = o.courseID JOIN calendar c ON c.calendarID = co.calendarID WHERE c.schoolID::text = ANY($1)',
        reads: ['districtID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
      },
      district: 'everything',
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: courseOfferingRecord,
});

interface SectionRow extends SchoolNumbers {
  sourceKey: string;
  sectionId: number;
  schoolId: number;
  endYear: number;
  localCourseCode: string;
  stateCode: string | null;
  termState: string | null;
  room: string | null;
  maxStudents: number | null;
  periods: string[];
}

/**
 * The section ids of keyed reads (`sectionID` or `sectionID-termID`) as integers, as `KEY_IDS`
 * does for single-id keys: the section and meeting indexes narrow the read first.
 */
const SECTION_IDS_OF_KEYS = "ARRAY(SELECT split_part(k, '-', 1)::bigint FROM unnest($3::text[]) k WHERE k ~ '^[0-9]{1,18}(-|$)')";

// One row per section and term it meets in; a section that meets nowhere gets one row with no term.
export const SECTIONS_SQL = `
  WITH meets AS (
    SELECT x.sectionID, t.termID, ${TERM_STATE} AS term_state, array_agg(DISTINCT p.name ORDER BY p.name) AS periods
      FROM sectionplacement x JOIN term t ON t.termID = x.termID JOIN period p ON p.periodID = x.periodID
     -- Narrowed here too: grouping every meeting of the district to read a few sections is the slow part.
     WHERE $3::text[] IS NULL OR (x.sectionID = ANY(${SECTION_IDS_OF_KEYS}) AND (x.sectionID::text = ANY($3) OR x.sectionID || '-' || x.termID = ANY($3)))
     GROUP BY x.sectionID, t.termID, t.termType, t.name)
  SELECT x.sectionID || '-' || coalesce(m.termID::text, '') AS "sourceKey", x.sectionID AS "sectionId", c.schoolID AS "schoolId", c.endYear AS "endYear",
         co.number AS "localCourseCode", co.stateCode AS "stateCode", m.term_state AS "termState", r.name AS room, x.maxStudents AS "maxStudents",
         coalesce(m.periods, '{}') AS periods, s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM section x
    JOIN course co ON co.courseID = x.courseID
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    LEFT JOIN meets m ON m.sectionID = x.sectionID
    LEFT JOIN room r ON r.roomID = x.roomID
   WHERE c.endYear = $1 AND co.active AND NOT c.exclude AND NOT s.exclude
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR (x.sectionID = ANY(${SECTION_IDS_OF_KEYS}) AND (x.sectionID || '-' || coalesce(m.termID::text, '') = ANY($3) OR x.sectionID::text = ANY($3))))
   ORDER BY x.sectionID, m.termID`;

export function sectionRecord(row: SectionRow): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const doc: EdfiDocument = {
    sectionIdentifier: String(row.sectionId),
    courseOfferingReference: {
      localCourseCode: row.localCourseCode,
      schoolId,
      schoolYear: row.endYear,
      sessionName: row.termState !== null ? sessionName(row.endYear, row.termState) : null,
    },
    ...(row.room !== null ? { locationReference: { classroomIdentificationCode: row.room, schoolId }, locationSchoolReference: { schoolId } } : {}),
    ...(row.periods.length > 0 ? { classPeriods: row.periods.map((name) => ({ classPeriodReference: { classPeriodName: name, schoolId } })) } : {}),
  };
  const base = { sourceKey: row.sourceKey, schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  if (row.termState === null) return { ...base, dependency: MISSING_SECTION_MEETING };
  if (row.stateCode === null) return { ...base, dependency: ALTERNATE_COURSE_NUMBER_NOT_SET };
  return base;
}

export const sections = sqlMapper<SectionRow>({
  resource: 'ed-fi/sections',
  sql: SECTIONS_SQL,
  codeSets: [],
  revision: 1,
  changes: {
    // A section's records are one per term it meets in (`sectionID-termID`): changes trace to the section.
    objectOfKey: 'beforeDash',
    tables: {
      section: 'key',
      sectionplacement: { sql: `SELECT sectionID::text AS object FROM sectionplacement WHERE placementID = ANY(${CHANGED_IDS})` },
      term: { sql: `SELECT sectionID::text AS object FROM sectionplacement WHERE termID = ANY(${CHANGED_IDS})`, reads: ['termType', 'name'] },
      period: { sql: `SELECT sectionID::text AS object FROM sectionplacement WHERE periodID = ANY(${CHANGED_IDS})`, reads: ['name'] },
      // A room's seats or a course's name are not in a section's record: such updates are no change to it.
      room: { sql: `SELECT sectionID::text AS object FROM section WHERE roomID = ANY(${CHANGED_IDS})`, reads: ['name'] },
      course: {
        sql: `SELECT sectionID::text AS object FROM section WHERE courseID = ANY(${CHANGED_IDS})`,
        reads: ['number', 'stateCode', 'active', 'calendarID'],
      },
      calendar: { sql: 'SELECT x.sectionID::text AS object FROM section x JOIN course co ON co.courseID = x.courseID WHERE co.calendarID::text = ANY($1)' },
      school: {
        sql: 'SELECT x.sectionID::text AS object FROM section x JOIN course co ON co.courseID = x.courseID JOIN calendar c ON c.calendarID = co.calendarID WHERE c.schoolID::text = ANY($1)',
        reads: ['edFiSchoolNumber', 'stateSchoolNumber', 'exclude'],
      },
      localcode: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: sectionRecord,
});
