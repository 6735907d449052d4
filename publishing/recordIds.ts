/**
 * The guide's "Organization ID" of a record's details: the state identification number of the
 * school or district the record belongs to, as published — from its natural key, else from the
 * school or education organization it refers to in the JSON sent.
 */
const KEY_FIELDS = ['schoolId', 'localEducationAgencyId', 'educationOrganizationId'] as const;
const REFERENCES = ['schoolReference', 'localEducationAgencyReference', 'educationOrganizationReference'] as const;

export function organizationIdOf(naturalKey: Readonly<Record<string, unknown>>, sentJson: unknown): string | null {
  for (const field of KEY_FIELDS) {
    const v = naturalKey[field];
    if (typeof v === 'number' || (typeof v === 'string' && v !== '')) return String(v);
  }
  if (sentJson === null || typeof sentJson !== 'object') return null;
  for (const ref of REFERENCES) {
    const r = (sentJson as Record<string, unknown>)[ref];
    if (r === null || typeof r !== 'object') continue;
    for (const field of KEY_FIELDS) {
      const v = (r as Record<string, unknown>)[field];
      if (typeof v === 'number' || (typeof v === 'string' && v !== '')) return String(v);
    }
  }
  return null;
}
