/**
 * `disciplineIncidents` (Student Discipline): an incident at a school in the school year — its date
 * and time, where it happened (Incident Locations mapping), whether it was reported to law
 * enforcement, and its behaviors as TEA's codes (Behavior Categories: the state needs its own
 * value, so an unmapped behavior is an error naming the code). No staff reference: discipline
 * depends only on the school here, and on the Student ID and School Enrollment below (the guide).
 */
import type { Json, ListColumnSpec, MappedRecord, PublishContext } from './mapper.js';
import { sqlMapper, KEY_IDS } from './mapper.js';
import { edfiSchoolId, type SchoolNumbers } from './schoolId.js';
import { stateCodes } from './stateCode.js';

export const DISCIPLINE_CATEGORY = 'Student Discipline';

/** An incident of the profile's school year (`$1`) at a school that is not excluded; `i` is the incident, `s` its school. */
export const INCIDENT_OF_YEAR = `
    JOIN school s ON s.schoolID = i.schoolID AND NOT s.exclude
    JOIN schoolyear sy ON sy.endYear = $1 AND i.date BETWEEN sy.startDate AND sy.endDate`;

interface Row extends SchoolNumbers {
  incidentId: number;
  schoolId: number;
  incidentDate: string;
  incidentTime: string | null;
  title: string;
  location: string | null;
  description: string | null;
  reportedToPolice: boolean;
  behaviors: Array<{ code: string; description: string | null }>;
}

export const INCIDENTS_SQL = `
  SELECT i.incidentID AS "incidentId", i.schoolID AS "schoolId", to_char(i.date, 'YYYY-MM-DD') AS "incidentDate",
         to_char(i.time, 'HH24:MI:SS') AS "incidentTime", i.title, i.location, i.description, i.reportedToPolice AS "reportedToPolice",
         coalesce((SELECT json_agg(json_build_object('code', e.code, 'description', e.description) ORDER BY e.eventID)
                     FROM behaviorevent e WHERE e.incidentID = i.incidentID), '[]'::json) AS behaviors,
         s.edFiSchoolNumber AS "edFiSchoolNumber", s.stateSchoolNumber AS "stateSchoolNumber"
    FROM behaviorincident i ${INCIDENT_OF_YEAR}
   WHERE ($2::int IS NULL OR i.schoolID = $2)
     AND ($3::text[] IS NULL OR i.incidentID = ANY(${KEY_IDS}))
   ORDER BY i.incidentID`;

export function incidentRecord(row: Row, ctx: PublishContext): MappedRecord {
  const school = edfiSchoolId(row);
  const state = stateCodes(ctx, DISCIPLINE_CATEGORY);
  const behaviors: Json[] = row.behaviors.flatMap((b) => {
    const uri = state.uri('behavior-categories', b.code);
    return uri === undefined
      ? []
      : [{ behaviorDescriptor: uri, ...(b.description !== null ? { behaviorDetailedDescription: b.description.slice(0, 1024) } : {}) }];
  });
  const location = ctx.descriptors.uri('incident-locations', row.location);
  const doc = {
    incidentIdentifier: String(row.incidentId),
    schoolReference: { schoolId: 'id' in school ? school.id : null },
    incidentDate: row.incidentDate,
    ...(row.incidentTime !== null ? { incidentTime: row.incidentTime } : {}),
    incidentDescription: (row.description ?? row.title).slice(0, 1024),
    ...(location !== undefined ? { incidentLocationDescriptor: location } : {}),
    reportedToLawEnforcement: row.reportedToPolice,
    behaviors,
  };
  const base = {
    sourceKey: String(row.incidentId),
    schoolId: row.schoolId,
    doc,
    display: { incidentId: String(row.incidentId), incidentDate: row.incidentDate, title: row.title },
  };
  if ('error' in school) return { ...base, error: school.error };
  if (state.errors.length > 0) return { ...base, error: state.errors[0] };
  return base;
}

export const INCIDENT_COLUMNS: readonly ListColumnSpec[] = [
  { id: 'incidentId', label: 'Incident ID' },
  { id: 'incidentDate', label: 'Incident Date' },
];

export const disciplineIncidents = sqlMapper<Row>({
  resource: 'ed-fi/disciplineIncidents',
  sql: INCIDENTS_SQL,
  codeSets: ['behavior-categories', 'incident-locations'],
  revision: 1,
  listColumns: [...INCIDENT_COLUMNS, { id: 'title', label: 'Title' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      behaviorincident: 'key',
      behaviorevent: { sql: 'SELECT incidentID::text AS object FROM behaviorevent WHERE eventID::text = ANY($1)' },
      school: 'everything',
      schoolyear: 'everything',
    },
  },
  params: ['schoolYear', 'schoolId', 'sourceKeys'],
  record: incidentRecord,
});
