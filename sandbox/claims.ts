/**
 * Claim sets as the ODS/API's default security metadata shapes them (edfi-api-facts.md §5, §6):
 * every resource belongs to a claim domain whose actions each have an authorization strategy, and a
 * claim set grants actions on domains. A resource/action the client's claim set lacks → 403.
 */
import type { ResourceModel } from '../edfi/model/types.js';
import type { ApiError } from './errors.js';
import { camel, EDORG_ENTITIES } from './names.js';
import type { ApiVersion } from './options.js';

export type Action = 'Create' | 'Read' | 'Update' | 'Delete' | 'ReadChanges';
export const ACTIONS: readonly Action[] = ['Create', 'Read', 'Update', 'Delete', 'ReadChanges'];

export type Strategy =
  'NoFurtherAuthorizationRequired' | 'RelationshipsWithEdOrgsOnly' | 'RelationshipsWithEdOrgsAndPeople' | 'RelationshipsWithStudentsOnly' | 'NamespaceBased';

export type Domain =
  'edFiTypes' | 'systemDescriptors' | 'educationOrganizations' | 'people' | 'primaryRelationships' | 'relationshipBasedData' | 'assessmentMetadata';

const NO = 'NoFurtherAuthorizationRequired';
const EDORGS = 'RelationshipsWithEdOrgsOnly';
const PEOPLE = 'RelationshipsWithEdOrgsAndPeople';
const NS = 'NamespaceBased';

/** Default strategy per action for each domain (0002-ResourceClaimMetadata.xml, DS 4.0.0 and 5.2.0). */
const DOMAIN_STRATEGIES: Readonly<Record<Domain, Readonly<Record<Action, Strategy>>>> = {
  edFiTypes: { Create: NO, Read: NO, Update: NO, Delete: NO, ReadChanges: NO },
  systemDescriptors: { Create: NS, Read: NO, Update: NS, Delete: NS, ReadChanges: NO },
  educationOrganizations: { Create: NO, Read: NO, Update: NO, Delete: NO, ReadChanges: NO },
  people: { Create: NO, Read: PEOPLE, Update: PEOPLE, Delete: NO, ReadChanges: PEOPLE },
  primaryRelationships: { Create: EDORGS, Read: PEOPLE, Update: PEOPLE, Delete: PEOPLE, ReadChanges: PEOPLE },
  relationshipBasedData: { Create: PEOPLE, Read: PEOPLE, Update: PEOPLE, Delete: PEOPLE, ReadChanges: PEOPLE },
  assessmentMetadata: { Create: NS, Read: NO, Update: NS, Delete: NS, ReadChanges: NO },
};

const PRIMARY = new Set([
  'StudentSchoolAssociation',
  'StaffEducationOrganizationEmploymentAssociation',
  'StaffEducationOrganizationAssignmentAssociation',
  'StudentEducationOrganizationResponsibilityAssociation',
]);
/** Script 2160: the student–contact link is authorized on the student only. */
const STUDENTS_ONLY = new Set(['StudentParentAssociation', 'StudentContactAssociation']);

export function domainOf(r: ResourceModel): Domain {
  if (r.isDescriptor) return 'systemDescriptors';
  if (r.entity === 'SchoolYearType') return 'edFiTypes';
  if (EDORG_ENTITIES.has(r.entity)) return 'educationOrganizations';
  if (r.person !== undefined) return 'people';
  if (PRIMARY.has(r.entity)) return 'primaryRelationships';
  if (r.identity.some((p) => p.length === 1 && p[0] === 'namespace')) return 'assessmentMetadata';
  return 'relationshipBasedData';
}

export function strategyFor(r: ResourceModel, action: Action): Strategy {
  if (STUDENTS_ONLY.has(r.entity)) return 'RelationshipsWithStudentsOnly';
  return DOMAIN_STRATEGIES[domainOf(r)][action];
}

const ALL: readonly Action[] = ACTIONS;
const READ: readonly Action[] = ['Read', 'ReadChanges'];
const CRUD: readonly Action[] = ['Create', 'Read', 'Update', 'Delete'];

/** Claim set → domain → granted actions; a `resource` entry (by entity) overrides its domain's grant. */
interface ClaimSet {
  readonly domains: Partial<Record<Domain, readonly Action[]>>;
  readonly resources?: Readonly<Record<string, readonly Action[]>>;
}

export const CLAIM_SETS: Readonly<Record<string, ClaimSet>> = {
  'Ed-Fi Sandbox': {
    domains: {
      edFiTypes: ALL,
      systemDescriptors: ALL,
      educationOrganizations: ALL,
      people: ALL,
      primaryRelationships: ALL,
      relationshipBasedData: ALL,
      assessmentMetadata: ALL,
    },
  },
  'SIS Vendor': {
    domains: {
      edFiTypes: READ,
      systemDescriptors: READ,
      educationOrganizations: READ,
      people: ALL,
      primaryRelationships: ALL,
      relationshipBasedData: ALL,
      assessmentMetadata: READ,
    },
  },
  'District Hosted SIS Vendor': {
    domains: {
      edFiTypes: READ,
      systemDescriptors: READ,
      educationOrganizations: ['Read'],
      people: ALL,
      primaryRelationships: ALL,
      relationshipBasedData: ALL,
      assessmentMetadata: READ,
    },
    resources: { School: [...CRUD, 'ReadChanges'], LocalEducationAgency: ['Read', 'Update', 'ReadChanges'] },
  },
  'Bootstrap Descriptors and EdOrgs': { domains: { edFiTypes: ALL, systemDescriptors: ALL, educationOrganizations: ALL } },
  'Ed-Fi API Publisher - Reader': {
    domains: {
      edFiTypes: READ,
      systemDescriptors: READ,
      educationOrganizations: READ,
      people: READ,
      primaryRelationships: READ,
      relationshipBasedData: READ,
      assessmentMetadata: READ,
    },
  },
};

export const CLAIM_SET_NAMES: readonly string[] = Object.keys(CLAIM_SETS);

/** The resource claim URI and its domain's, as the ODS lists them (6.x: `…/ods/identity/claims/…`). */
export function claimUris(r: ResourceModel, version: ApiVersion): string[] {
  const base = version === '6.1' ? 'http://ed-fi.org/ods/identity/claims' : 'http://ed-fi.org/identity/claims';
  const resourceClaim = version === '6.1' ? `${base}/${r.project === 'tx' ? 'tx/' : ''}${camel(r.entity)}` : `${base}/${r.project}/${camel(r.entity)}`;
  return [resourceClaim, `${base}/domains/${domainOf(r)}`];
}

export function actionUri(action: Action): string {
  return `http://ed-fi.org/odsapi/actions/${action === 'ReadChanges' ? 'readChanges' : action.toLowerCase()}`;
}

export function grantedActions(claimSet: string, r: ResourceModel): readonly Action[] | undefined {
  const set = CLAIM_SETS[claimSet];
  if (set === undefined) return undefined;
  return set.resources?.[r.entity] ?? set.domains[domainOf(r)];
}

/** The claim-set check: the resource must be covered and the action granted. */
export function checkClaims(claimSet: string, r: ResourceModel, action: Action, version: ApiVersion): ApiError | undefined {
  const granted = grantedActions(claimSet, r);
  const claims = claimUris(r, version);
  if (granted === undefined || granted.length === 0) return { kind: 'claim-resource', claimSet, claims, version };
  if (!granted.includes(action)) return { kind: 'claim-action', claimSet, claims, action: actionUri(action) };
  return undefined;
}
