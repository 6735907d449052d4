/**
 * Sessions and grading periods are the terms and six-weeks of a campus's primary schedule
 * structure (a credit-recovery structure shares them). A session is named by the school year and
 * the term's state value ("2024-2025 Fall Semester"); its term descriptor is that value in the core
 * namespace. Grading periods go out only through the Reporting Terms mapping (the guide: they are
 * not published until Grade Types, Reporting Terms and Excluded Reporting Terms are mapped).
 */
import type { EdfiDocument, Json, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS, integerIds } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import type { ChangeFollow } from '../publishing/changeSet.js';

/** The Ed-Fi session name of a term: school year and the term's state value. */
export function sessionName(endYear: number, termState: string): string {
  return `${endYear - 1}-${endYear} ${termState}`;
}

export function reportingTermsNeeded(code: string): string {
  return `Reporting Terms: the grading period code "${code}" is not mapped to a Grading Period descriptor. Map it (Mapping → Reporting Terms, per school), then run Now – Changes on Organization Calendars.`;
}

interface GradingPeriodRow extends SchoolNumbers {
  gradingPeriodId: number;
  schoolId: number;
  endYear: number;
  code: string;
  name: string;
  seq: number;
  beginDate: string;
  endDate: string;
  days: number;
}

const INSTRUCTIONAL_DAYS = `(SELECT count(*)::int FROM day d WHERE d.structureID = ss.structureID AND d.instruction AND d.date BETWEEN x.startDate AND x.endDate)`;

/** The changed rows' keys (`$1`) as integer ids, so the id column's index finds them (as KEY_IDS does for `$3`). */
const CHANGED_IDS = integerIds('$1');

/**
 * A school day counts toward the terms or grading periods whose dates hold it (their instructional
 * days): a changed day is traced to those, not to every one — the day's date or structure moving
 * it between them reads the resource whole.
 */
const dayIn = (table: 'term' | 'gradingperiod', key: 'termID' | 'gradingPeriodID'): ChangeFollow => ({
  sql: `SELECT x.${key}::text AS object FROM day d JOIN ${table} x ON x.structureID = d.structureID AND d.date BETWEEN x.startDate AND x.endDate WHERE d.dayID = ANY(${CHANGED_IDS})`,
  movesWith: ['date', 'structureID'],
  reads: ['instruction', 'date', 'structureID'],
});

export const GRADING_PERIODS_SQL = `
  SELECT x.gradingPeriodID AS "gradingPeriodId", c.schoolID AS "schoolId", c.endYear AS "endYear", x.code, x.name, x.seq,
         to_char(x.startDate, 'YYYY-MM-DD') AS "beginDate", to_char(x.endDate, 'YYYY-MM-DD') AS "endDate", ${INSTRUCTIONAL_DAYS} AS days,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM gradingperiod x
    JOIN schedulestructure ss ON ss.structureID = x.structureID AND ss.isPrimary
    JOIN calendar c ON c.calendarID = ss.calendarID
    JOIN school s ON s.schoolID = c.schoolID
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND NOT c.summerSchool
     AND ($2::int IS NULL OR c.schoolID = $2) AND ($3::text[] IS NULL OR x.gradingPeriodID = ANY(${KEY_IDS}))
   ORDER BY x.gradingPeriodID`;

/** The identity part of a grading period (and of references to it) for the Data Standard. */
export function gradingPeriodKey(ctx: PublishContext, row: { name: string; seq: number }): EdfiDocument {
  return ctx.dataStandard === '5.x' ? { gradingPeriodName: row.name, periodSequence: row.seq } : { periodSequence: row.seq };
}

export function gradingPeriodRecord(row: GradingPeriodRow, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const descriptor = ctx.descriptors.mapped('reporting-terms', row.code, row.schoolId);
  const doc: EdfiDocument = {
    ...(descriptor !== undefined ? { gradingPeriodDescriptor: descriptor } : {}),
    ...gradingPeriodKey(ctx, row),
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    schoolYearTypeReference: { schoolYear: row.endYear },
    beginDate: row.beginDate,
    endDate: row.endDate,
    totalInstructionalDays: row.days,
  };
  const base = { sourceKey: String(row.gradingPeriodId), schoolId: row.schoolId, doc };
  if ('error' in school) return { ...base, error: school.error };
  if (descriptor === undefined) return { ...base, dependency: reportingTermsNeeded(row.code) };
  return base;
}

export const gradingPeriods = sqlMapper<GradingPeriodRow>({
  resource: 'ed-fi/gradingPeriods',
  sql: GRADING_PERIODS_SQL,
  codeSets: ['reporting-terms'],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      gradingperiod: 'key',
      day: dayIn('gradingperiod', 'gradingPeriodID'),
      calendar: 'everything',
      schedulestructure: 'everything',
      school: 'everything',
    },
    // A school's name or address is no change to its grading periods and sessions: they read its numbers.
    wholeReads: { school: ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'] },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: gradingPeriodRecord,
});

interface SessionRow extends SchoolNumbers {
  termId: number;
  schoolId: number;
  endYear: number;
  termState: string;
  beginDate: string;
  endDate: string;
  days: number;
  periods: Array<{ code: string; name: string; seq: number }>;
}

export const SESSIONS_SQL = `
  SELECT x.termID AS "termId", c.schoolID AS "schoolId", c.endYear AS "endYear", coalesce(lc.stateCode, x.name) AS "termState",
         to_char(x.startDate, 'YYYY-MM-DD') AS "beginDate", to_char(x.endDate, 'YYYY-MM-DD') AS "endDate", ${INSTRUCTIONAL_DAYS} AS days,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber",
         coalesce((SELECT json_agg(json_build_object('code', g.code, 'name', g.name, 'seq', g.seq) ORDER BY g.seq) FROM gradingperiod g WHERE g.termID = x.termID), '[]') AS periods
    FROM term x
    JOIN schedulestructure ss ON ss.structureID = x.structureID AND ss.isPrimary
    JOIN calendar c ON c.calendarID = ss.calendarID
    JOIN school s ON s.schoolID = c.schoolID
    LEFT JOIN localcode lc ON lc.category = 'term' AND lc.schoolID IS NULL AND lc.code = x.termType
   WHERE c.endYear = $1 AND NOT c.exclude AND NOT s.exclude AND NOT c.summerSchool
     AND ($2::int IS NULL OR c.schoolID = $2) AND ($3::text[] IS NULL OR x.termID = ANY(${KEY_IDS}))
   ORDER BY x.termID`;

export function sessionRecord(row: SessionRow, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const schoolId = 'id' in school ? school.id : null;
  const gradingPeriodRefs: Json[] = row.periods.flatMap((p) => {
    const descriptor = ctx.descriptors.mapped('reporting-terms', p.code, row.schoolId);
    return descriptor === undefined
      ? []
      : [{ gradingPeriodReference: { gradingPeriodDescriptor: descriptor, ...gradingPeriodKey(ctx, p), schoolId, schoolYear: row.endYear } }];
  });
  const doc: EdfiDocument = {
    sessionName: sessionName(row.endYear, row.termState),
    schoolReference: { schoolId },
    schoolYearTypeReference: { schoolYear: row.endYear },
    beginDate: row.beginDate,
    endDate: row.endDate,
    termDescriptor: `uri://ed-fi.org/TermDescriptor#${row.termState}`,
    totalInstructionalDays: row.days,
    ...(gradingPeriodRefs.length > 0 ? { gradingPeriods: gradingPeriodRefs } : {}),
  };
  const base = { sourceKey: String(row.termId), schoolId: row.schoolId, doc };
  return 'error' in school ? { ...base, error: school.error } : base;
}

export const sessions = sqlMapper<SessionRow>({
  resource: 'ed-fi/sessions',
  sql: SESSIONS_SQL,
  codeSets: ['reporting-terms'],
  revision: 1,
  changes: {
    objectOfKey: 'whole',
    tables: {
      term: 'key',
      day: dayIn('term', 'termID'),
      // A session lists its grading periods.
      gradingperiod: { sql: `SELECT termID::text AS object FROM gradingperiod WHERE gradingPeriodID = ANY(${CHANGED_IDS})`, movesWith: ['termID'] },
      calendar: 'everything',
      localcode: 'everything',
      schedulestructure: 'everything',
      school: 'everything',
    },
    // A school's name or address is no change to its grading periods and sessions: they read its numbers.
    wholeReads: { school: ['schoolID', 'edFiSchoolNumber', 'stateSchoolNumber', 'exclude'] },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: sessionRecord,
});
