/** Small naming helpers shared by the validation, authorization and error texts. */

/** `lastSurname` → `LastSurname`, as the ODS names properties in its messages. */
export const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const camel = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** `2` → `2nd`: the ODS's duplicate-item message counts items this way. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** Education organization types (their identity is one integer, also their `educationOrganizationId`). */
export const EDORG_ENTITIES: ReadonlySet<string> = new Set([
  'School',
  'LocalEducationAgency',
  'StateEducationAgency',
  'EducationServiceCenter',
  'CommunityOrganization',
  'CommunityProvider',
  'PostSecondaryInstitution',
  'EducationOrganizationNetwork',
  'OrganizationDepartment',
]);

/** Property names that hold an education organization id (what relationship authorization checks). */
export const EDORG_ID_FIELDS: ReadonlySet<string> = new Set([
  'schoolId',
  'localEducationAgencyId',
  'educationOrganizationId',
  'stateEducationAgencyId',
  'educationServiceCenterId',
  'communityOrganizationId',
  'communityProviderId',
  'postSecondaryInstitutionId',
  'educationOrganizationNetworkId',
  'organizationDepartmentId',
]);

/** Fields naming a parent in the ed-org hierarchy (LEA → its schools, ESC/SEA → LEAs). */
export const EDORG_PARENT_FIELDS: ReadonlySet<string> = new Set([
  'localEducationAgencyId',
  'educationServiceCenterId',
  'stateEducationAgencyId',
  'communityOrganizationId',
  'educationOrganizationNetworkId',
]);

/** Person unique-id fields and the person they name. */
export const PERSON_FIELDS: Readonly<Record<string, 'student' | 'staff' | 'contact'>> = {
  studentUniqueId: 'student',
  staffUniqueId: 'staff',
  parentUniqueId: 'contact',
  contactUniqueId: 'contact',
};

/** The collections every education organization inherits from EducationOrganization: the ODS names their items after it. */
const INHERITED_EDORG_COLLECTIONS: ReadonlySet<string> = new Set([
  'addresses',
  'educationOrganizationCategories',
  'identificationCodes',
  'indicators',
  'institutionTelephones',
  'internationalAddresses',
]);

/**
 * The ODS's class name of a collection, as its messages say it: the owning class and the
 * collection ("SchoolGradeLevels"), the base class for what an education organization inherits
 * ("EducationOrganizationCategories", "EducationOrganizationAddresses"), the name alone when it
 * already starts with its owner.
 */
export function collectionClass(owner: string, collection: string): string {
  const name = pascal(collection);
  const base = EDORG_ENTITIES.has(owner) && INHERITED_EDORG_COLLECTIONS.has(collection) ? 'EducationOrganization' : owner;
  return name.startsWith(base) ? name : `${base}${name}`;
}

/** One item of a collection class: "Addresses" → "Address", "Categories" → "Category", "GradeLevels" → "GradeLevel". */
export function singular(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  return name.replace(/s$/, '');
}
