/** The context a mapper extracts with: the profile's settings, preferences and code mappings, and the fingerprint that says when they changed. */
import { type Profile } from '../../db/entities/profile.js';
import { extractFingerprint, type FingerprintInputs } from '../../publishing/extractFingerprint.js';
import { DEFAULT_PREFERENCES, type PublishContext, type ResourceMapper, type ResourcePreferences } from '../../resources/mapper.js';
import { MappingLookup, type StoredDecision } from '../../publishing/descriptorLookup.js';
import { SETTING_RULES } from '../../publishing/profileSettings.js';
import { catalogName } from './shared.js';
import { tedsOf } from '../../publishing/profileModel.js';
import type { Engine } from './engine.js';

export const publishContext = async (
  e: Engine,
  profile: Profile,
  schoolYear: number,
  schoolId: string | undefined,
): Promise<{ ctx: PublishContext; lookup: MappingLookup; fingerprint: (replicaLoad: string | null, mapper: ResourceMapper) => string }> => {
  const conn = e.deps.orm.em.getConnection();
  const mappings = await conn.execute<
    Array<{ code_set: string; school_id: number; local_code: string; namespace: string | null; code_value: string | null; auto: boolean }>
  >('SELECT code_set, school_id, local_code, namespace, code_value, auto FROM code_mapping WHERE profile_id = ?', [profile.id]);
  const decisions: StoredDecision[] = mappings.map((m) => ({
    codeSet: m.code_set,
    schoolId: m.school_id === 0 ? null : m.school_id,
    code: m.local_code,
    mapping: m.namespace !== null && m.code_value !== null ? { namespace: m.namespace, codeValue: m.code_value, auto: m.auto } : null,
  }));
  const prefs = await conn.execute<Array<{ resource: string; enabled: boolean; report_grade_levels: boolean }>>(
    'SELECT resource, enabled, report_grade_levels FROM resource_preference WHERE profile_id = ?',
    [profile.id],
  );
  const byResource = new Map<string, ResourcePreferences>(prefs.map((p) => [p.resource, { enabled: p.enabled, reportGradeLevels: p.report_grade_levels }]));
  const prefix = profile.settings.DescriptorNameSpacePrefixToPublish ?? SETTING_RULES.DescriptorNameSpacePrefixToPublish.defaultFor(profile);
  const lookup = new MappingLookup(decisions, prefix);
  const teds = tedsOf(profile.stateExtension);
  const ctx: PublishContext = {
    profileId: profile.id,
    schoolYear,
    dataStandard: profile.dataStandard === '5.x' ? '5.x' : '4.0',
    teds,
    schoolId: schoolId !== undefined ? Number(schoolId) : undefined,
    descriptors: lookup,
    preferences: (resource) => byResource.get(catalogName(resource)) ?? DEFAULT_PREFERENCES,
  };
  // Everything besides the SIS rows that decides a resource's JSON (publishing/extractFingerprint.ts):
  // when it changes for a resource, Now – Changes reads that resource whole once.
  const inputs: FingerprintInputs = {
    dataStandard: profile.dataStandard,
    stateExtension: profile.stateExtension,
    namespacePrefix: prefix,
    mappings: mappings.map((m) => ({ codeSet: m.code_set, schoolId: m.school_id, code: m.local_code, namespace: m.namespace, codeValue: m.code_value })),
    preferences: prefs.map((p) => ({ resource: p.resource, enabled: p.enabled, reportGradeLevels: p.report_grade_levels })),
  };
  const fingerprint = (replicaLoad: string | null, mapper: ResourceMapper): string =>
    extractFingerprint({ name: catalogName(mapper.resource), revision: mapper.revision, codeSets: mapper.codeSets }, inputs, replicaLoad);
  return { ctx, lookup, fingerprint };
};
