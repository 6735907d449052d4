/** The context a mapper extracts with: the profile's settings, preferences and code mappings, and the fingerprint that says when they changed. */
import { type Profile } from '../../db/entities/profile.js';
import { extractFingerprint, type FingerprintInputs } from '../../publishing/extractFingerprint.js';
import { readResourcePreferences } from '../../db/resourcePreferences.js';
import { readAllDecisions, readDecisionsOf, type StoredDecisionRow } from '../../db/codeMappings.js';
import { DEFAULT_PREFERENCES, effectivePreferences, type PublishContext, type ResourceMapper, type ResourcePreferences } from '../../resources/mapper.js';
import { decisionIndex, MappingLookup, type DecisionIndex, type StoredDecision } from '../../publishing/descriptorLookup.js';
import { SETTING_RULES, settingReader } from '../../publishing/profileSettings.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { tedsOf } from '../../publishing/profileModel.js';
import type { Engine } from './engine.js';

/** What every extract of a profile reads from the app database before its SIS rows. */
interface ProfileInputs {
  readonly mappings: StoredDecisionRow[];
  readonly index: DecisionIndex;
  readonly byResource: Map<string, ResourcePreferences>;
}

/**
 * One read for the extracts that start together: a category's extracts all begin at once, and a
 * district's thousands of reporting-term mappings read and indexed by each of them took 50–300 ms
 * of every extract's start (measured at 1,320 schools). A read is shared only while it is under
 * way; the next one reads afresh. A mapping saved during a shared read applies from the next run:
 * the fingerprint is taken over the mappings the extract used, so that run reads the resource whole.
 */
const underWay = new WeakMap<object, Map<string, Promise<ProfileInputs>>>();

function profileInputs(e: Engine, profileId: string): Promise<ProfileInputs> {
  const shared = underWay.get(e.db) ?? new Map<string, Promise<ProfileInputs>>();
  underWay.set(e.db, shared);
  let read = shared.get(profileId);
  if (read === undefined) {
    read = (async () => {
      const mappings = await readAllDecisions(e.db, profileId);
      const decisions: StoredDecision[] = mappings.map((m) => ({
        codeSet: m.codeSet,
        schoolId: m.schoolId === 0 ? null : m.schoolId,
        code: m.code,
        mapping: m.namespace !== null && m.codeValue !== null ? { namespace: m.namespace, codeValue: m.codeValue, auto: m.auto } : null,
      }));
      return { mappings, index: decisionIndex(decisions), byResource: await readResourcePreferences(e.db, profileId) };
    })();
    shared.set(profileId, read);
    const done = (): void => void shared.delete(profileId);
    read.then(done, done);
  }
  return read;
}

export const publishContext = async (
  e: Engine,
  profile: Profile,
  schoolYear: number,
  schoolId: string | undefined,
): Promise<{ ctx: PublishContext; lookup: MappingLookup; fingerprint: (replicaLoad: string | null, mapper: ResourceMapper) => string }> => {
  const { mappings, index, byResource } = await profileInputs(e, profile.id);
  const preferences = preferencesOf(byResource);
  const prefix = namespacePrefixOf(profile);
  const lookup = new MappingLookup(index, prefix);
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
  return { ctx, lookup, fingerprint: fingerprinter(profile, prefix, mappings, preferences) };
};

/**
 * Everything besides the SIS rows that decides a resource's JSON (publishing/extractFingerprint.ts):
 * when it changes for a resource, Now – Changes reads that resource whole once. `mappings` must
 * hold at least the decisions of the code sets the fingerprinted mappers declare.
 */
function fingerprinter(
  profile: Profile,
  namespacePrefix: string,
  mappings: FingerprintInputs['mappings'],
  preferences: (resource: string) => ResourcePreferences,
): (replicaLoad: string | null, mapper: ResourceMapper) => string {
  const inputs: FingerprintInputs = { dataStandard: profile.dataStandard, stateExtension: profile.stateExtension, namespacePrefix, mappings };
  const setting = settingReader(profile, profile.settings);
  return (replicaLoad, mapper) =>
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
}

/**
 * The fingerprints of some mappers only, as a quiet Now – Changes compares them: it reads the
 * decisions of their code sets, not the profile's every mapping, and builds no lookup (at 1,320
 * schools the whole read and index took 10–17 ms of each quiet category's 27–55 ms).
 */
export async function fingerprintsOf(
  e: Engine,
  profile: Profile,
  mappers: readonly ResourceMapper[],
): Promise<(replicaLoad: string | null, mapper: ResourceMapper) => string> {
  const codeSets = [...new Set(mappers.flatMap((m) => m.codeSets))];
  const [mappings, byResource] = await Promise.all([readDecisionsOf(e.db, profile.id, codeSets), readResourcePreferences(e.db, profile.id)]);
  return fingerprinter(profile, namespacePrefixOf(profile), mappings, preferencesOf(byResource));
}

const preferencesOf =
  (byResource: ReadonlyMap<string, ResourcePreferences>) =>
  (resource: string): ResourcePreferences =>
    byResource.get(catalogName(resource)) ?? DEFAULT_PREFERENCES;

const namespacePrefixOf = (profile: Profile): string =>
  profile.settings.DescriptorNameSpacePrefixToPublish ?? SETTING_RULES.DescriptorNameSpacePrefixToPublish.defaultFor(profile);
