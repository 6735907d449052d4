import { describe, expect, it } from 'vitest';
import { applySettingChanges, defaultSettings } from './profileSettings.js';

describe('per-profile settings', () => {
  it('default as the guide says per profile type', () => {
    expect(defaultSettings({ profileType: 'SIS', sisProduct: 'PowerSchool' })).toMatchObject({
      DescriptorNameSpacePrefixToPublish: 'uri://local.texas.gov',
      PublishDefaultStaffEmployment: false,
      PublishHRStaffAndAssociations: false,
      PublishFinanceData: false,
      UserProfileMappingOption: 'available-to-each-user',
      DashboardCounterRefreshInterval: 0,
      DashboardDetailFilterOption: 'all',
    });
    expect(defaultSettings({ profileType: 'SIS+HR', sisProduct: 'PowerSchool' })).toMatchObject({
      PublishDefaultStaffEmployment: true,
      PublishHRStaffAndAssociations: true,
      PublishFinanceData: true,
    });
    expect(defaultSettings({ profileType: 'HR-only', sisProduct: 'Other' })).toMatchObject({
      PublishDefaultStaffEmployment: false,
      PublishHRStaffAndAssociations: true,
      PublishFinanceData: true,
    });
  });

  it('offer finance data nowhere the guide says it is unavailable, and SIS-only settings to SIS profiles only', () => {
    expect(defaultSettings({ profileType: 'SIS', sisProduct: 'eSchoolPlus' })).not.toHaveProperty('PublishFinanceData');
    expect(defaultSettings({ profileType: 'SIS+HR', sisProduct: 'eSchoolPlus' })).not.toHaveProperty('PublishFinanceData');
    expect(defaultSettings({ profileType: 'SIS', sisProduct: 'eSchoolPlus' })).not.toHaveProperty('ExcludeUnmappedCalendarReference');
    expect(defaultSettings({ profileType: 'HR-only', sisProduct: 'Other' })).not.toHaveProperty('ExcludeStudentsWithoutUniqueIDs');
  });

  it('refuse bad values naming the setting and the allowed values, changing nothing', () => {
    const kind = { profileType: 'SIS', sisProduct: 'PowerSchool' } as const;
    const r = applySettingChanges(kind, {}, { DashboardDetailFilterOption: 'errors', PublishFinanceData: 'yes', DashboardCounterRefreshInterval: 15 });
    expect(r).toEqual({
      ok: false,
      problems: [
        { setting: 'DashboardDetailFilterOption', message: 'allowed values: all, errors-or-dependencies-or-all, dependencies-only, errors-and-dependencies' },
        { setting: 'PublishFinanceData', message: 'allowed values: true, false' },
      ],
    });
  });

  it('refuse unknown settings and settings the profile does not offer', () => {
    const r = applySettingChanges({ profileType: 'SIS', sisProduct: 'eSchoolPlus' }, {}, { PublishFinanceData: true, Colour: 'blue' });
    expect(r).toMatchObject({
      ok: false,
      problems: [{ setting: 'PublishFinanceData', message: 'not offered for eSchoolPlus SIS profiles' }, { setting: 'Colour' }],
    });
  });

  it('check the namespace prefix shape', () => {
    const kind = { profileType: 'SIS', sisProduct: 'PowerSchool' } as const;
    expect(applySettingChanges(kind, {}, { DescriptorNameSpacePrefixToPublish: 'uri://local.texas.gov/' }).ok).toBe(false);
    expect(applySettingChanges(kind, {}, { DescriptorNameSpacePrefixToPublish: 'uri://district.example.org' })).toMatchObject({
      ok: true,
      settings: { DescriptorNameSpacePrefixToPublish: 'uri://district.example.org' },
    });
  });
});
