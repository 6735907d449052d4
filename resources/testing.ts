/** For mappers' unit tests: the context a profile on Data Standard 4.0 with Texas 2025.2.1 extracts with, over the given code-set decisions. */
import { MappingLookup, type StoredDecision } from '../publishing/descriptorLookup.js';
import { DEFAULT_PREFERENCES, type PublishContext } from './mapper.js';
import { SETTING_RULES, type ProfileSettings } from '../publishing/profileSettings.js';

/** Settings given in `settings` override the defaults of a PowerSchool SIS profile. */
export function testContext(decisions: StoredDecision[], settings: Partial<ProfileSettings> = {}): (over?: Partial<PublishContext>) => PublishContext {
  const lookup = new MappingLookup(decisions, 'uri://local.texas.gov');
  return (over = {}) => ({
    profileId: 'p',
    schoolYear: 2025,
    dataStandard: '4.0',
    teds: '2025.2.1',
    descriptors: lookup,
    preferences: () => DEFAULT_PREFERENCES,
    setting: (name) => settings[name] ?? SETTING_RULES[name].defaultFor({ profileType: 'SIS', sisProduct: 'PowerSchool' }),
    ...over,
  });
}
