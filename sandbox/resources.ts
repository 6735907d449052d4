/**
 * What the sandbox knows of each resource: its natural key (the fields POST upserts by), as JSON
 * paths. This is the first slice — the Organization catalog, courses, calendars and every
 * descriptor; the full Ed-Fi model (references, required fields, types) grows in `edfi/`.
 */

export type IdentityPath = readonly string[];

const DESCRIPTOR_IDENTITY: IdentityPath[] = [['namespace'], ['codeValue']];

const IDENTITIES: Record<string, IdentityPath[]> = {
  'ed-fi/schoolYearTypes': [['schoolYear']],
  'ed-fi/localEducationAgencies': [['localEducationAgencyId']],
  'ed-fi/schools': [['schoolId']],
  'ed-fi/courses': [['courseCode'], ['educationOrganizationReference', 'educationOrganizationId']],
  'ed-fi/programs': [['programName'], ['programTypeDescriptor'], ['educationOrganizationReference', 'educationOrganizationId']],
  'ed-fi/locations': [['classroomIdentificationCode'], ['schoolReference', 'schoolId']],
  'ed-fi/classPeriods': [['classPeriodName'], ['schoolReference', 'schoolId']],
  'ed-fi/calendars': [['calendarCode'], ['schoolReference', 'schoolId'], ['schoolYearTypeReference', 'schoolYear']],
  'ed-fi/calendarDates': [['date'], ['calendarReference', 'calendarCode'], ['calendarReference', 'schoolId'], ['calendarReference', 'schoolYear']],
  'ed-fi/gradingPeriods': [['gradingPeriodDescriptor'], ['periodSequence'], ['schoolReference', 'schoolId'], ['schoolYearTypeReference', 'schoolYear']],
  'ed-fi/sessions': [['sessionName'], ['schoolReference', 'schoolId'], ['schoolYearTypeReference', 'schoolYear']],
};

/** `ed-fi/fooDescriptors` and `tx/fooDescriptors` are descriptors: identified by namespace and code value. */
export function identityOf(resourcePath: string): IdentityPath[] | undefined {
  if (/^[a-z-]+\/[a-zA-Z]+Descriptors$/.test(resourcePath)) return DESCRIPTOR_IDENTITY;
  return IDENTITIES[resourcePath];
}

export function knownResources(): string[] {
  return Object.keys(IDENTITIES);
}

/** The natural key of a document as one string, or the missing identity field's name. */
export function naturalKey(doc: Record<string, unknown>, identity: IdentityPath[]): { key: string } | { missing: string } {
  const parts: unknown[] = [];
  for (const path of identity) {
    let v: unknown = doc;
    for (const step of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined;
    if (v === undefined || v === null || v === '') return { missing: path.join('.') };
    // Descriptor URIs and strings compare case-insensitively in the ODS.
    parts.push(typeof v === 'string' ? v.toLowerCase() : v);
  }
  return { key: JSON.stringify(parts) };
}
