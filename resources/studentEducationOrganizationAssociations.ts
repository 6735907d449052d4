/**
 * `studentEducationOrganizationAssociations` (Student Demographics): in Data Standard 4.0 a
 * student's sex, ethnicity, races, languages and home address, phone and e-mail live on their
 * association with the district (the LEA), one per student enrolled this year. Sex, races and
 * languages are TEA code sets (C013, C304, C092): an unmapped code is a computed error naming the
 * code set and the code.
 *
 * The ODS takes it only once the student's School Enrollment has claimed them: until then it waits
 * on that student (403) and is retried as soon as the enrollment publishes.
 */
import type { EdfiDocument, Json, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { raceList, stateCodes } from './stateCode.js';
import { contactDetails, type ContactColumns } from './contactDetails.js';
import { ENROLLED_THIS_YEAR, STUDENT_CHANGES, STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

const CATEGORY = 'Enrollment & Demographics';

interface Row extends ContactColumns {
  personId: number;
  schoolId: number;
  leaNumber: string;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
  grade: string | null;
  gender: string;
  hispanic: boolean;
  races: string[] | null;
  homeLanguage: string | null;
  primaryLanguage: string | null;
}

export const DEMOGRAPHICS_SQL = `
  SELECT st.personID AS "personId", e."schoolId", (SELECT d.number FROM district d ORDER BY d.districtID LIMIT 1) AS "leaNumber",
         st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber", e.grade, st.gender, st.hispanicEthnicity AS hispanic, st.raceCodes AS races,
         st.homeLanguage AS "homeLanguage", st.primaryLanguage AS "primaryLanguage",
         st.address, st.city, st.state, st.zip, st.phone, st.email
    FROM student st
    JOIN LATERAL (${ENROLLED_THIS_YEAR}) e ON true
   WHERE ($3::text[] IS NULL OR st.personID = ANY(${KEY_IDS}))
   ORDER BY st.personID`;

const USE = 'uri://ed-fi.org/LanguageUseDescriptor';

/** Home and dominant language: one entry per language, with every use it has. */
function languages(row: Row): Array<{ code: string; uses: string[] }> {
  const out: Array<{ code: string; uses: string[] }> = [];
  for (const [code, use] of [
    [row.homeLanguage, 'Home language'],
    [row.primaryLanguage, 'Dominant language'],
  ] as const) {
    if (code === null || code.trim() === '') continue;
    const known = out.find((l) => l.code === code);
    if (known !== undefined) known.uses.push(use);
    else out.push({ code, uses: [use] });
  }
  return out;
}

export function demographicsRecord(row: Row, ctx: PublishContext): MappedRecord {
  const state = stateCodes(ctx, CATEGORY);
  const sex = state.uri('sex', row.gender);
  const races = raceList(state, row.races);
  const langs: Json[] = languages(row).flatMap((l) => {
    const uri = state.uri('languages', l.code);
    return uri === undefined ? [] : [{ languageDescriptor: uri, uses: l.uses.map((u) => ({ languageUseDescriptor: `${USE}#${u}` })) }];
  });
  const doc: EdfiDocument = {
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    studentReference: { studentUniqueId: row.uniqueId },
    sexDescriptor: sex ?? null,
    hispanicLatinoEthnicity: row.hispanic,
    ...(races.length > 0 ? { races } : {}),
    ...(langs.length > 0 ? { languages: langs } : {}),
    ...contactDetails(row),
  };
  const base = { sourceKey: String(row.personId), schoolId: row.schoolId, doc, display: studentDisplay(row) };
  const missing = withoutUniqueId(row.uniqueId, ctx);
  if (missing !== undefined) return { ...base, ...missing };
  if (state.errors.length > 0) return { ...base, error: state.errors[0] };
  return base;
}

export const studentEducationOrganizationAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentEducationOrganizationAssociations',
  sql: DEMOGRAPHICS_SQL,
  codeSets: ['sex', 'races', 'languages'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: STUDENT_COLUMNS,
  changes: { ...STUDENT_CHANGES, tables: { ...STUDENT_CHANGES.tables, district: 'everything' } },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: demographicsRecord,
});
