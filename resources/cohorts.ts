/**
 * `cohorts` (Cohort Groups): the district's groups of students and staff (clubs, intervention
 * groups, …) at a school or district-wide. Only groups whose type is mapped to a Cohort Type are
 * published (the guide); the others are listed as excluded, saying which type to map. A group
 * serving a program refers to it as the Program Catalog sends it.
 */
import type { EdfiDocument, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { findCodeSet } from '../publishing/codeSets.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';

/** The columns naming a cohort, as its members read them too: `c` is the cohort, `s` its school (NULL district-wide). */
export interface CohortColumns extends SchoolNumbers {
  cohortId: number;
  schoolId: number | null;
  cohortName: string;
  cohortType: string;
  leaNumber: string;
}

export const COHORT_COLUMNS_SQL = `c.cohortID AS "cohortId", c.schoolID AS "schoolId", c.name AS "cohortName", c.type AS "cohortType",
         (SELECT number FROM district ORDER BY districtID LIMIT 1) AS "leaNumber",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"`;
/** A cohort of the district or of a school that is not excluded. */
export const COHORT_JOIN = `LEFT JOIN school s ON s.schoolID = c.schoolID`;
export const COHORT_KEPT = `(c.schoolID IS NULL OR NOT s.exclude)`;

/** Why a group is not published: its type is not mapped. */
export function cohortTypeUnmapped(type: string): string {
  const label = findCodeSet('cohort-types')?.label ?? 'Cohort Types';
  return `Excluded: only groups mapped to a Cohort Type are published, and the group type "${type}" is not mapped. Map it (Mapping → ${label}), then run 'Now – Changes' on Cohort Groups.`;
}

/**
 * The cohort as its members refer to it, and what keeps it (and so them) from being sent; `type` is
 * the group type's Cohort Type mapping, looked up by the caller (each mapper declares its code sets).
 */
export function cohortReference(
  row: CohortColumns,
  type: string | undefined,
): { reference: { cohortIdentifier: string; educationOrganizationId: number | null }; type?: string; error?: string; excluded?: string } {
  const school = row.schoolId === null ? { id: Number(row.leaNumber) } : edfiSchoolId(row);
  const reference = { cohortIdentifier: String(row.cohortId), educationOrganizationId: 'id' in school ? school.id : null };
  if (type === undefined) return { reference, excluded: cohortTypeUnmapped(row.cohortType) };
  if ('error' in school) return { reference, type, error: school.error };
  return { reference, type };
}

interface Row extends CohortColumns {
  description: string | null;
  programName: string | null;
  programType: string | null;
}

export const COHORTS_SQL = `
  SELECT ${COHORT_COLUMNS_SQL}, c.description, lc.name AS "programName", lc.stateCode AS "programType"
    FROM cohort c ${COHORT_JOIN}
    LEFT JOIN program p ON p.programID = c.programID
    LEFT JOIN localcode lc ON lc.category = 'programType' AND lc.schoolID IS NULL AND lc.code = p.programType
   WHERE ${COHORT_KEPT}
     AND ($1::int IS NULL OR c.schoolID = $1)
     AND ($2::text[] IS NULL OR c.cohortID::text = ANY($2))
   ORDER BY c.cohortID`;

export function cohortRecord(row: Row, ctx: PublishContext): MappedRecord {
  const { reference, type, error, excluded } = cohortReference(row, ctx.descriptors.mapped('cohort-types', row.cohortType));
  const doc = {
    cohortIdentifier: reference.cohortIdentifier,
    educationOrganizationReference: { educationOrganizationId: reference.educationOrganizationId },
    cohortTypeDescriptor: type ?? null,
    cohortDescription: (row.description ?? row.cohortName).slice(0, 1024),
    ...(row.programName !== null && row.programType !== null
      ? {
          programs: [
            {
              programReference: {
                educationOrganizationId: Number(row.leaNumber),
                programName: row.programName.slice(0, 60),
                programTypeDescriptor: `uri://ed-fi.org/ProgramTypeDescriptor#${row.programType}`,
              },
            },
          ],
        }
      : {}),
  };
  const base = {
    sourceKey: String(row.cohortId),
    schoolId: row.schoolId,
    doc,
    display: { cohortId: String(row.cohortId), cohortName: row.cohortName, cohortType: row.cohortType },
  };
  if (excluded !== undefined) return { ...base, excluded };
  if (error !== undefined) return { ...base, error };
  return base;
}

/** The members (`cohortstudent`/`cohortstaff`) of cohorts in the school year (`$1`), in the school context (`$2`), narrowed to source keys (`$3`); `person` joins the person as `p`. */
export function cohortMembersSql(table: string, key: string, person: { table: string; columns: string }): string {
  return `
  SELECT m.${key} AS "memberId", p.stateID AS "uniqueId", p.firstName AS "firstName", p.lastName AS "lastName", ${person.columns},
         to_char(m.startDate, 'YYYY-MM-DD') AS "beginDate", to_char(m.endDate, 'YYYY-MM-DD') AS "endDate", ${COHORT_COLUMNS_SQL}
    FROM ${table} m
    JOIN cohort c ON c.cohortID = m.cohortID ${COHORT_JOIN}
    JOIN ${person.table} p ON p.personID = m.personID
    JOIN schoolyear sy ON sy.endYear = $1
   WHERE ${COHORT_KEPT} AND m.startDate <= sy.endDate AND (m.endDate IS NULL OR m.endDate >= sy.startDate)
     AND ($2::int IS NULL OR c.schoolID = $2)
     AND ($3::text[] IS NULL OR m.${key} = ANY(${KEY_IDS}))
   ORDER BY m.${key}`;
}

/** The columns every member row has beside its person's own. */
export interface CohortMemberRow extends CohortColumns {
  memberId: number;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  beginDate: string;
  endDate: string | null;
}

/** A membership record: the cohort and the person's reference, dated, with its fate (the group's first, then the person's). */
export function cohortMember(
  row: CohortMemberRow,
  type: string | undefined,
  person: { reference: EdfiDocument; display: Record<string, string | null>; fate: { dependency: string } | { excluded: string } | undefined },
): MappedRecord {
  const cohort = cohortReference(row, type);
  const doc = { cohortReference: cohort.reference, ...person.reference, beginDate: row.beginDate, ...(row.endDate !== null ? { endDate: row.endDate } : {}) };
  const display = { ...person.display, cohortId: String(row.cohortId), cohortName: row.cohortName, beginDate: row.beginDate };
  const base = { sourceKey: String(row.memberId), schoolId: row.schoolId, doc, display };
  if (cohort.excluded !== undefined) return { ...base, excluded: cohort.excluded };
  if (cohort.error !== undefined) return { ...base, error: cohort.error };
  return { ...base, ...person.fate };
}

/** How changes reach a membership: its row, the cohort's, the person's; the rest (rare) reads it whole. */
export function cohortMemberChanges(table: string, key: string, personTable: string) {
  const via = (column: string): { sql: string } => ({ sql: `SELECT ${key}::text AS object FROM ${table} WHERE ${column}::text = ANY($1)` });
  return {
    objectOfKey: 'whole',
    tables: { [table]: 'key', cohort: via('cohortID'), [personTable]: via('personID'), school: 'everything', district: 'everything', schoolyear: 'everything' },
  } as const;
}

export const COHORT_LIST_COLUMNS = [
  { id: 'cohortId', label: 'Cohort ID' },
  { id: 'cohortName', label: 'Cohort' },
] as const;

export const cohorts = sqlMapper<Row>({
  resource: 'ed-fi/cohorts',
  sql: COHORTS_SQL,
  codeSets: ['cohort-types'],
  revision: 1,
  listColumns: [...COHORT_LIST_COLUMNS, { id: 'cohortType', label: 'Cohort Type' }],
  changes: {
    objectOfKey: 'whole',
    tables: { cohort: 'key', school: 'everything', district: 'everything', program: 'everything', localcode: 'everything' },
  },
  params: ['schoolId', 'sourceKeys'],
  record: cohortRecord,
});
