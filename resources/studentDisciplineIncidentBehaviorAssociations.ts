/**
 * `studentDisciplineIncidentBehaviorAssociations` (Student Discipline): a student's part in one
 * behavior of an incident — the behavior as TEA's code (Behavior Categories) and the participation
 * (perpetrator, victim, witness: Discipline Incident Participation Codes). It depends on the
 * incident, the Student ID and the School Enrollment that claims the student.
 */
import type { ListColumnSpec, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { DISCIPLINE_CATEGORY, INCIDENT_COLUMNS, INCIDENT_OF_YEAR } from './disciplineIncidents.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { stateCode } from './stateCode.js';
import { STUDENT_COLUMNS, studentDisplay, withoutUniqueId } from './students.js';

/** The columns of a student's part in a behavior, as this and Discipline Action read them. */
export interface BehaviorRoleRow extends SchoolNumbers {
  incidentId: number;
  schoolId: number;
  incidentDate: string;
  behavior: string;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  studentNumber: string;
}

/** `r` (behaviorrole) with its behavior `e`, incident `i`, student `st` and the incident's school `s`. */
export const BEHAVIOR_ROLE_COLUMNS = `i.incidentID AS "incidentId", i.schoolID AS "schoolId", to_char(i.date, 'YYYY-MM-DD') AS "incidentDate", e.code AS behavior,
         st.stateID AS "uniqueId", st.firstName AS "firstName", st.lastName AS "lastName", st.studentNumber AS "studentNumber",
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"`;
export const BEHAVIOR_ROLE_JOINS = `
    JOIN behaviorevent e ON e.eventID = r.eventID
    JOIN behaviorincident i ON i.incidentID = e.incidentID ${INCIDENT_OF_YEAR}
    JOIN student st ON st.personID = r.personID`;

interface Row extends BehaviorRoleRow {
  roleId: number;
  role: string;
}

export const BEHAVIOR_ROLES_SQL = `
  SELECT r.roleID AS "roleId", r.role, ${BEHAVIOR_ROLE_COLUMNS}
    FROM behaviorrole r ${BEHAVIOR_ROLE_JOINS}
   WHERE ($2::int IS NULL OR i.schoolID = $2)
     AND ($3::text[] IS NULL OR r.roleID = ANY(${KEY_IDS}))
   ORDER BY r.roleID`;

/**
 * The reference to a student's behavior (this resource's identity), or the error that keeps it from
 * being built; `behavior` is the row's behavior looked up through Behavior Categories by the caller
 * (so each mapper declares the code sets it reads).
 */
export function behaviorReference(
  row: BehaviorRoleRow,
  behavior: ReturnType<typeof stateCode>,
): { reference: { [k: string]: string | number | null }; error?: string } {
  const school = edfiSchoolId(row);
  const reference = {
    behaviorDescriptor: behavior !== undefined && 'uri' in behavior ? behavior.uri : null,
    incidentIdentifier: String(row.incidentId),
    schoolId: 'id' in school ? school.id : null,
    studentUniqueId: row.uniqueId,
  };
  if ('error' in school) return { reference, error: school.error };
  if (behavior !== undefined && 'error' in behavior) return { reference, error: behavior.error };
  return { reference };
}

export function behaviorRoleRecord(row: Row, ctx: PublishContext): MappedRecord {
  const { reference, error } = behaviorReference(row, stateCode(ctx, 'behavior-categories', row.behavior, DISCIPLINE_CATEGORY));
  const participation = ctx.descriptors.uri('participation-codes', row.role);
  const doc = {
    behaviorDescriptor: reference.behaviorDescriptor,
    disciplineIncidentReference: { incidentIdentifier: reference.incidentIdentifier, schoolId: reference.schoolId },
    studentReference: { studentUniqueId: row.uniqueId },
    ...(participation !== undefined ? { disciplineIncidentParticipationCodes: [{ disciplineIncidentParticipationCodeDescriptor: participation }] } : {}),
  };
  const display = { ...studentDisplay({ ...row, grade: null }), incidentId: String(row.incidentId), incidentDate: row.incidentDate, behavior: row.behavior };
  const base = { sourceKey: String(row.roleId), schoolId: row.schoolId, doc, display };
  if (error !== undefined) return { ...base, error };
  return { ...base, ...withoutUniqueId(row.uniqueId, ctx) };
}

export const DISCIPLINE_STUDENT_COLUMNS: readonly ListColumnSpec[] = [...STUDENT_COLUMNS.filter((c) => c.id !== 'gradeLevel'), ...INCIDENT_COLUMNS];

/** How a change reaches the records keyed by `key` of `table` whose rows lead to a behaviorrole `r` (`join` from that table to `r`). */
export function behaviorRoleChanges(table: string, key: string, join: string) {
  const via = (where: string): { sql: string } => ({ sql: `SELECT t.${key}::text AS object FROM ${table} t ${join} ${where}` });
  return {
    objectOfKey: 'whole',
    tables: {
      ...(table === 'behaviorrole' ? {} : { behaviorrole: via('WHERE r.roleID::text = ANY($1)') }),
      [table]: 'key',
      behaviorevent: via('WHERE r.eventID::text = ANY($1)'),
      behaviorincident: via('JOIN behaviorevent e ON e.eventID = r.eventID WHERE e.incidentID::text = ANY($1)'),
      student: via('WHERE r.personID::text = ANY($1)'),
      school: 'everything',
      schoolyear: 'everything',
    },
  } as const;
}

export const studentDisciplineIncidentBehaviorAssociations = sqlMapper<Row>({
  resource: 'ed-fi/studentDisciplineIncidentBehaviorAssociations',
  sql: BEHAVIOR_ROLES_SQL,
  codeSets: ['behavior-categories', 'participation-codes'],
  settings: ['ExcludeStudentsWithoutUniqueIDs'],
  revision: 1,
  listColumns: [...DISCIPLINE_STUDENT_COLUMNS, { id: 'behavior', label: 'Behavior' }],
  changes: behaviorRoleChanges('behaviorrole', 'roleID', 'JOIN behaviorrole r ON r.roleID = t.roleID'),
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: behaviorRoleRecord,
});
