/**
 * Per-profile settings (the guide's Settings page): which exist for which profile type and SIS
 * product, their defaults, and the one rule per setting that says what a valid value is.
 */

export const PROFILE_TYPES = ['SIS', 'SIS+HR', 'HR-only', 'HR-from-SIS'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

/** Where a profile's data comes from: the SIS replica, or (HR-only) the district's HR system replica. */
export type Replica = 'sis' | 'hr';
export const REPLICA_OF: Readonly<Record<ProfileType, Replica>> = { SIS: 'sis', 'SIS+HR': 'sis', 'HR-from-SIS': 'sis', 'HR-only': 'hr' };

/** The SIS product behind a profile: some settings differ by product in the guide. */
export const SIS_PRODUCTS = ['PowerSchool', 'eSchoolPlus', 'Other'] as const;
export type SisProduct = (typeof SIS_PRODUCTS)[number];

export const USER_PROFILE_MAPPING_OPTIONS = ['available-to-each-user', 'vendor-based', 'vendor-or-user'] as const;
export const DASHBOARD_DETAIL_FILTER_OPTIONS = ['all', 'errors-or-dependencies-or-all', 'dependencies-only', 'errors-and-dependencies'] as const;

/** Changed SIS rows in an hour, per category, above which its near-real-time publishing waits for the nightly run. */
export const DEFAULT_SPIKE_THRESHOLD = 5_000;

export interface ProfileSettings {
  DescriptorNameSpacePrefixToPublish: string;
  PublishDefaultStaffEmployment: boolean;
  PublishHRStaffAndAssociations: boolean;
  PublishFinanceData: boolean;
  UserProfileMappingOption: (typeof USER_PROFILE_MAPPING_OPTIONS)[number];
  PublishSSAOrganizationAssociationExtensions: boolean;
  ExcludeStudentsWithoutUniqueIDs: boolean;
  PublishGrades: boolean;
  ExcludeUnmappedCalendarReference: boolean;
  DashboardCounterRefreshInterval: number;
  DashboardDetailFilterOption: (typeof DASHBOARD_DETAIL_FILTER_OPTIONS)[number];
  DataChangesSpikeThreshold: number;
}
export type SettingName = keyof ProfileSettings;

export interface ProfileKind {
  readonly profileType: ProfileType;
  readonly sisProduct: SisProduct;
}

/** A SIS profile (SIS or SIS+HR): everything but HR and Finance, which its settings may add. */
export const isSis = (k: ProfileKind): boolean => k.profileType === 'SIS' || k.profileType === 'SIS+HR';
/** An HR profile (HR-only from the HR system, HR-from-SIS from the SIS): the Staff categories and Finance only. */
export const isHr = (k: ProfileKind): boolean => k.profileType === 'HR-only' || k.profileType === 'HR-from-SIS';

interface SettingRule<N extends SettingName> {
  readonly description: string;
  /** Where the guide offers the setting at all. */
  readonly offered: (k: ProfileKind) => boolean;
  readonly defaultFor: (k: ProfileKind) => ProfileSettings[N];
  /** undefined when valid, else what is wrong and what is allowed. */
  readonly check: (value: unknown) => string | undefined;
  /** The allowed values of a setting that is a choice (the Settings page shows them as a list). */
  readonly choices?: readonly string[];
}

const bool = (value: unknown): string | undefined => (typeof value === 'boolean' ? undefined : 'allowed values: true, false');
const oneOf =
  (allowed: readonly string[]) =>
  (value: unknown): string | undefined =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `allowed values: ${allowed.join(', ')}`;

export const SETTING_RULES: { readonly [N in SettingName]: SettingRule<N> } = {
  DescriptorNameSpacePrefixToPublish: {
    description: 'Namespace prefix of local codes published as descriptors',
    offered: () => true,
    defaultFor: () => 'uri://local.texas.gov',
    check: (v) =>
      typeof v === 'string' && /^uri:\/\/[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/i.test(v) && v.length <= 255
        ? undefined
        : 'expected a namespace prefix like uri://local.texas.gov (uri://, a host name, no trailing slash, at most 255 characters)',
  },
  PublishDefaultStaffEmployment: {
    description: 'Publish default Staff Employment records for staff without employment data (needs PublishHRStaffAndAssociations)',
    offered: () => true,
    defaultFor: (k) => k.profileType === 'SIS+HR',
    check: bool,
  },
  PublishHRStaffAndAssociations: {
    description: 'Publish HR staff data from the source system',
    offered: () => true,
    defaultFor: (k) => k.profileType === 'SIS+HR' || isHr(k),
    check: bool,
  },
  PublishFinanceData: {
    description: 'Publish finance data from the source system',
    // The guide: not available for eSchoolPlus SIS and SIS+HR profiles.
    offered: (k) => !(k.sisProduct === 'eSchoolPlus' && isSis(k)),
    defaultFor: (k) => k.profileType === 'SIS+HR' || isHr(k),
    check: bool,
  },
  UserProfileMappingOption: {
    description: 'Who sees this profile: every user, or users entering from its vendor only',
    offered: () => true,
    defaultFor: () => 'available-to-each-user',
    check: oneOf(USER_PROFILE_MAPPING_OPTIONS),
    choices: USER_PROFILE_MAPPING_OPTIONS,
  },
  PublishSSAOrganizationAssociationExtensions: {
    description: 'Publish SSA (shared services) organization associations from this profile',
    offered: () => true,
    defaultFor: () => false,
    check: bool,
  },
  ExcludeStudentsWithoutUniqueIDs: {
    description: 'Exclude students without a state unique id or SSN from publishing',
    offered: isSis,
    defaultFor: () => false,
    check: bool,
  },
  PublishGrades: {
    // The guide: "disabled by a back-end setting; the option will be added to the configuration settings".
    description: 'Publish student grades (not collected by TEA): off until turned on; map Grade Types, Reporting Terms and Excluded Reporting Terms first',
    offered: isSis,
    defaultFor: () => false,
    check: bool,
  },
  ExcludeUnmappedCalendarReference: {
    description: 'Leave the calendar reference out of school enrollments when the calendar is not defined for the school',
    offered: (k) => isSis(k) && k.sisProduct === 'PowerSchool',
    defaultFor: () => false,
    check: bool,
  },
  DashboardCounterRefreshInterval: {
    description: 'Seconds between computations of the dashboard counters (0 = on every view)',
    offered: isSis,
    defaultFor: () => 0,
    check: (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3600
        ? undefined
        : 'expected whole seconds from 0 to 3600 (10–15 suits small districts, 30 large ones)',
  },
  DashboardDetailFilterOption: {
    description: 'Default filter of the dashboard detail lists',
    offered: isSis,
    defaultFor: () => 'all',
    check: oneOf(DASHBOARD_DETAIL_FILTER_OPTIONS),
    choices: DASHBOARD_DETAIL_FILTER_OPTIONS,
  },
  DataChangesSpikeThreshold: {
    description:
      'SIS changes in an hour above which a category stops publishing in near-real time and waits for the weekday nightly run (e.g. Student Sections in the first days of a term)',
    offered: () => true,
    defaultFor: () => DEFAULT_SPIKE_THRESHOLD,
    check: (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10_000_000
        ? undefined
        : 'expected a whole number of changes per hour from 1 to 10,000,000',
  },
};

export const SETTING_NAMES = Object.keys(SETTING_RULES) as SettingName[];

/** Reads a profile's settings as publishing sees them. */
export type SettingReader = <N extends SettingName>(name: N) => ProfileSettings[N];

/**
 * A profile's settings as publishing reads them: the stored value, else the default for its kind.
 * A switch the kind is not offered is off, any other setting keeps its default (PublishFinanceData
 * of an eSchoolPlus SIS or SIS+HR profile is off whatever is stored: the guide does not offer it there).
 */
export function settingReader(kind: ProfileKind, stored: Partial<ProfileSettings>): SettingReader {
  return <N extends SettingName>(name: N): ProfileSettings[N] => {
    const rule = SETTING_RULES[name] as SettingRule<N>;
    if (!rule.offered(kind)) return (typeof rule.defaultFor(kind) === 'boolean' ? false : rule.defaultFor(kind)) as ProfileSettings[N];
    return stored[name] ?? rule.defaultFor(kind);
  };
}

/** The settings a profile of this kind offers, at their defaults. */
export function defaultSettings(kind: ProfileKind): Partial<ProfileSettings> {
  const out: Partial<Record<SettingName, unknown>> = {};
  for (const name of SETTING_NAMES) if (SETTING_RULES[name].offered(kind)) out[name] = SETTING_RULES[name].defaultFor(kind);
  return out as Partial<ProfileSettings>;
}

export interface SettingProblem {
  readonly setting: string;
  readonly message: string;
}

/**
 * Applies changes to current settings: every problem is reported (unknown names, settings this
 * profile does not offer, bad values); nothing changes unless all of them are valid.
 */
export function applySettingChanges(
  kind: ProfileKind,
  current: Partial<ProfileSettings>,
  changes: Record<string, unknown>,
): { ok: true; settings: Partial<ProfileSettings> } | { ok: false; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const next: Record<string, unknown> = { ...defaultSettings(kind), ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!(SETTING_NAMES as string[]).includes(name)) {
      problems.push({ setting: name, message: `unknown setting; the settings are ${SETTING_NAMES.join(', ')}` });
      continue;
    }
    const rule = SETTING_RULES[name as SettingName];
    if (!rule.offered(kind)) {
      problems.push({ setting: name, message: `not offered for ${kind.sisProduct} ${kind.profileType} profiles` });
      continue;
    }
    const wrong = rule.check(value);
    if (wrong !== undefined) problems.push({ setting: name, message: wrong });
    else next[name] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings: next };
}
