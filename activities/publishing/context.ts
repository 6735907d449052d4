/** The context a mapper extracts with: the profile's settings, preferences and code mappings, and the fingerprint that says when they changed. */
import { type Profile } from '../../db/entities/profile.js';
import { extractFingerprint, type FingerprintInputs } from '../../publishing/extractFingerprint.js';
import { readResourcePreferences } from '../../db/resourcePreferences.js';
import { readAllDecisions } from '../../db/codeMappings.js';
import { DEFAULT_PREFERENCES, effectivePreferences, type PublishContext, type ResourceMapper, type ResourcePreferences } from '../../resources/mapper.js';
import { MappingLookup, type StoredDecision } from '../../publishing/descriptorLookup.js';
import { SETTING_RULES, settingReader } from '../../publishing/profileSettings.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { tedsOf } from '../../publishing/profileModel.js';
import type { Engine } from './engine.js';

export const publishContext = async (
  e: Engine,
  profile: Profile,
  schoolYear: number,
  schoolId: string | undefined,
): Promise<{ ctx: PublishContext; lookup: MappingLookup; fingerprint: (replicaLoad: string | null, mapper: ResourceMapper) => string }> => {
  const conn = e.db;
  const mappings = await readAllDecisions(conn, profile.id);
  const decisions: StoredDecision[] = mappings.map((m) => ({
    codeSet: m.codeSet,
    schoolId: m.schoolId === 0 ? null : m.schoolId,
    code: m.code,
    mapping: m.namespace !== null && m.codeValue !== null ? { namespace: m.namespace, codeValue: m.codeValue, auto: m.auto } : null,
  }));
  const byResource = await readResourcePreferences(conn, profile.id);
  const preferences = (resource: string): ResourcePreferences => byResource.get(catalogName(resource)) ?? DEFAULT_PREFERENCES;
  const prefix = profile.settings.DescriptorNameSpacePrefixToPublish ?? SETTING_RULES.DescriptorNameSpacePrefixToPublish.defaultFor(profile);
  const lookup = new MappingLookup(decisions, prefix);
  const teds = tedsOf(profile.stateExtension);
  const setting = settingReader(profile, profile.settings);
  const ctx: PublishContext = {
    profileId: profile.id,
    kind: { profileType: profile.profileType, sisProduct: profile.sisProduct },
    schoolYear,
    dataStandard: profile.dataStandard === '5.x' ? '5.x' : '4.0',
    teds,
    schoolId: schoolId !== undefined ? Number(schoolId) : undefined,
    descriptors: lookup,
    preferences,
    setting,
  };
  // Everything besides the SIS rows that decides a resource's JSON (publishing/extractFingerprint.ts):
  // when it changes for a resource, Now – Changes reads that resource whole once.
  const inputs: FingerprintInputs = {
    dataStandard: profile.dataStandard,
    stateExtension: profile.stateExtension,
    namespacePrefix: prefix,
    mappings,
  };
  const fingerprint = (replicaLoad: string | null, mapper: ResourceMapper): string =>
    extractFingerprint(
      {
        revision: mapper.revision,
        codeSets: mapper.codeSets,
        preferences: effectivePreferences(preferences(mapper.resource), mapper.preferenceOptions ?? []),
        settings: Object.fromEntries((mapper.settings ?? []).map((n) => [n, setting(n)])),
      },
      inputs,
      replicaLoad,
    );
  return { ctx, lookup, fingerprint };
};
