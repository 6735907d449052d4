/** For mappers' unit tests: the context a profile on Data Standard 4.0 with Texas 2025.2.1 extracts with, over the given code-set decisions. */
import { MappingLookup, type StoredDecision } from '../publishing/descriptorLookup.js';
import { DEFAULT_PREFERENCES, type PublishContext } from './mapper.js';
import { settingReader, type ProfileKind, type ProfileSettings } from '../publishing/profileSettings.js';

/** Settings given in `settings` override the defaults of the profile's kind (a PowerSchool SIS profile unless `kind` says otherwise). */
export function testContext(
  decisions: StoredDecision[],
  settings: Partial<ProfileSettings> = {},
  kind: ProfileKind = { profileType: 'SIS', sisProduct: 'PowerSchool' },
): (over?: Partial<PublishContext>) => PublishContext {
  const lookup = new MappingLookup(decisions, 'uri://local.texas.gov');
  return (over = {}) => ({
    kind,
    profileId: 'p',
    schoolYear: 2025,
    dataStandard: '4.0',
    teds: '2025.2.1',
    descriptors: lookup,
    preferences: () => DEFAULT_PREFERENCES,
    setting: settingReader(kind, settings),
    ...over,
  });
}

/** A clerk's (or the pre-mapping's) decision mapping one district-wide local code. */
export const mapped = (codeSet: StoredDecision['codeSet'], code: string, namespace: string, codeValue: string): StoredDecision => ({
  codeSet,
  schoolId: null,
  code,
  mapping: { namespace, codeValue, auto: true },
});
