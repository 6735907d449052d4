/**
 * A section's members (students on its roster, its teachers) as Ed-Fi sees them: one record per
 * term the section meets in — `sections` sends one section per term — from the later of the
 * member's and the term's start to the earlier of their ends. A section that meets in no period
 * gives one record with no term (held with the guide's "Missing Section Meeting Record").
 */
import { KEY_IDS } from './mapper.js';
import type { EdfiDocument } from './mapper.js';
import { TERM_STATE } from './schedules.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { sessionName } from './sessions.js';

/** The columns every member query reads; the person's own columns come on top. */
export interface SectionMemberRow extends SchoolNumbers {
  sourceKey: string;
  schoolId: number;
  endYear: number;
  sectionId: number;
  localCourseCode: string;
  termState: string | null;
  beginDate: string;
  endDate: string | null;
}

/**
 * The members of sections of the year (`$1`) and school context (`$2`), narrowed to source keys
 * (`$3`): rows of `table` (alias `m`, keyed by `key`, with sectionID, startDate and endDate), with
 * the person the `person` join brings and their `personColumns`.
 */
export function sectionMembersSql(member: { table: string; key: string; person: string; personColumns: string }): string {
  const sourceKey = `m.${member.key} || '-' || coalesce(tm.termID::text, '')`;
  return `
  WITH terms AS (
    SELECT DISTINCT x.sectionID, t.termID, t.startDate, t.endDate, ${TERM_STATE} AS term_state
      FROM sectionplacement x JOIN term t ON t.termID = x.termID)
  SELECT ${sourceKey} AS "sourceKey", c.schoolID AS "schoolId", c.endYear AS "endYear",
         x.sectionID AS "sectionId", co.number AS "localCourseCode", tm.term_state AS "termState", ${member.personColumns},
         to_char(greatest(m.startDate, coalesce(tm.startDate, m.startDate)), 'YYYY-MM-DD') AS "beginDate",
         to_char(CASE WHEN tm.termID IS NULL THEN m.endDate ELSE least(coalesce(m.endDate, tm.endDate), tm.endDate) END, 'YYYY-MM-DD') AS "endDate",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM ${member.table} m
    ${member.person}
    JOIN section x ON x.sectionID = m.sectionID
    JOIN course co ON co.courseID = x.courseID
    JOIN calendar c ON c.calendarID = co.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    LEFT JOIN terms tm ON tm.sectionID = x.sectionID
   WHERE c.endYear = $1 AND co.active AND NOT c.exclude AND NOT s.exclude
     AND (tm.termID IS NULL OR (m.startDate <= tm.endDate AND (m.endDate IS NULL OR m.endDate >= tm.startDate)))
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR m.${member.key} = ANY(${KEY_IDS}) OR ${sourceKey} = ANY($3))
   ORDER BY m.${member.key}, tm.termID`;
}

/** The member's section of one term and its dates, or the school number's error. */
export function memberOfSection(row: SectionMemberRow): { fields: EdfiDocument; schoolError?: string } {
  const school = edfiSchoolId(row);
  return {
    fields: {
      sectionReference: {
        localCourseCode: row.localCourseCode,
        schoolId: 'id' in school ? school.id : null,
        schoolYear: row.endYear,
        sectionIdentifier: String(row.sectionId),
        sessionName: row.termState !== null ? sessionName(row.endYear, row.termState) : null,
      },
      beginDate: row.beginDate,
      ...(row.endDate !== null ? { endDate: row.endDate } : {}),
    },
    ...('error' in school ? { schoolError: school.error } : {}),
  };
}

/** What a member's record list shows of the section. */
export const sectionDisplay = (row: SectionMemberRow): { section: string; beginDate: string } => ({
  section: `${row.localCourseCode} ${row.sectionId}`,
  beginDate: row.beginDate,
});

/**
 * How a change reaches a section's members, keyed by `key` in `table`: the member row itself, the
 * person, and the section, its placements, terms and course.
 */
export function sectionMemberChanges(table: string, key: string) {
  const ofSections = (sections: string): { sql: string } => ({ sql: `SELECT m.${key}::text AS object FROM ${table} m WHERE m.sectionID IN (${sections})` });
  return {
    // A member's records are one per term the section meets in (`key-termID`): changes trace to the member row.
    objectOfKey: 'beforeDash',
    tables: {
      [table]: 'key',
      section: { sql: `SELECT ${key}::text AS object FROM ${table} WHERE sectionID::text = ANY($1)` },
      sectionplacement: ofSections('SELECT sectionID FROM sectionplacement WHERE placementID::text = ANY($1)'),
      term: ofSections('SELECT sectionID FROM sectionplacement WHERE termID::text = ANY($1)'),
      course: ofSections('SELECT sectionID FROM section WHERE courseID::text = ANY($1)'),
      calendar: 'everything',
      school: 'everything',
      localcode: 'everything',
    },
  } as const;
}
