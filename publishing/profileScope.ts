/**
 * What a profile publishes, by its type and settings (the guide: profile types, Settings,
 * "Initial Data Synchronization"). HR profiles publish only the Staff categories and Finance; SIS
 * profiles everything else, with Staff and Staff Associations inactive unless
 * PublishHRStaffAndAssociations — except the Staff Assignments whose Service ID is a state Staff
 * Classification, which a SIS profile always publishes. Finance and Staff FTE need
 * PublishFinanceData (never offered to eSchoolPlus SIS profiles), SSA Organization Associations
 * PublishSSAOrganizationAssociationExtensions, Grades PublishGrades (the guide: off by default). An inactive entity is not sent: a category run
 * lists it as skipped with the reason, and the dashboard marks the category.
 */
import type { Category } from './categories.js';
import { isHr, type ProfileKind, type SettingReader } from './profileSettings.js';

/** Whether a profile publishes an entity: all of it, none of it (and why), or only the assignments the guide's exception names. */
export type EntityScope =
  { readonly publish: 'all' } | { readonly publish: 'none'; readonly why: string } | { readonly publish: 'state-service-ids'; readonly why: string };

/** The Staff and Staff Associations entities that come from an HR system (Staff Sections are the SIS's). */
const HR_STAFF = new Set(['staffs', 'staffEducationOrganizationEmploymentAssociations', 'staffSchoolAssociations']);
const ASSIGNMENTS = 'staffEducationOrganizationAssignmentAssociations';
/** The Finance entities, and Staff FTE which the guide shows only when the profile includes Finance Data. */
const FINANCE = new Set(['budgetExts', 'actualExts', 'payrollExts', 'contractedInstructionalStaffFTEExts']);
const SSA = 'ssaOrgAssociationExts';

export const HR_STAFF_OFF =
  "Staff data is normally published by the district's HR profile: this profile's PublishHRStaffAndAssociations setting is off. Turn it on (Settings) only if the SIS is the district's source of HR staff data.";
export const HR_STAFF_OFF_HR = 'PublishHRStaffAndAssociations is off for this HR profile: turn it on (Settings) to publish staff.';
export const ONLY_STATE_SERVICE_IDS =
  "Only Staff Assignments whose Service ID is a state Staff Classification are published from a SIS profile (the guide's exception); the rest come from the HR profile, or with PublishHRStaffAndAssociations on.";
export const FINANCE_OFF = 'PublishFinanceData is off for this profile: turn it on (Settings) to publish Finance and Staff FTE data from it.';
export const FINANCE_NOT_OFFERED = 'Finance data is not published from eSchoolPlus SIS profiles (the guide): publish it from the district’s HR profile.';
export const SSA_OFF =
  'PublishSSAOrganizationAssociationExtensions is off for this profile: turn it on (Settings) if shared services arrangements are published from it.';
export const GRADES_OFF =
  'Student Grades are not collected by TEA and are off until PublishGrades is turned on (Settings); map Grade Types, Reporting Terms and Excluded Reporting Terms first.';
export const HR_PROFILE_ONLY_STAFF_FINANCE =
  "HR profiles publish only the Staff categories and Finance (the guide): publish this from the district's SIS profile.";

/**
 * Whether a profile of this kind, with these settings, publishes an entity (by its dashboard
 * resource name, e.g. `staffs`).
 */
export function entityScope(resource: string, kind: ProfileKind, setting: SettingReader): EntityScope {
  // Every profile publishes the local descriptors its own records meet.
  if (resource === 'descriptors') return { publish: 'all' };
  if (resource === SSA) return setting('PublishSSAOrganizationAssociationExtensions') ? { publish: 'all' } : { publish: 'none', why: SSA_OFF };
  if (FINANCE.has(resource)) {
    if (setting('PublishFinanceData')) return { publish: 'all' };
    return { publish: 'none', why: kind.sisProduct === 'eSchoolPlus' && !isHr(kind) ? FINANCE_NOT_OFFERED : FINANCE_OFF };
  }
  const hrOn = setting('PublishHRStaffAndAssociations');
  if (HR_STAFF.has(resource)) return hrOn ? { publish: 'all' } : { publish: 'none', why: isHr(kind) ? HR_STAFF_OFF_HR : HR_STAFF_OFF };
  if (resource === ASSIGNMENTS) {
    if (hrOn) return { publish: 'all' };
    return isHr(kind) ? { publish: 'none', why: HR_STAFF_OFF_HR } : { publish: 'state-service-ids', why: ONLY_STATE_SERVICE_IDS };
  }
  if (isHr(kind)) return { publish: 'none', why: HR_PROFILE_ONLY_STAFF_FINANCE };
  if (resource === 'grades' && !setting('PublishGrades')) return { publish: 'none', why: GRADES_OFF };
  return { publish: 'all' };
}

/** A category as a profile sees it: active, partly active (some entities, or some records), or inactive — with the reasons. */
export interface CategoryScope {
  readonly active: 'yes' | 'partly' | 'no';
  readonly why: readonly string[];
}

export function categoryScope(category: Category, kind: ProfileKind, setting: SettingReader): CategoryScope {
  const scopes = category.entities.map((e) => entityScope(e.resource, kind, setting));
  const why = [...new Set(scopes.flatMap((s) => ('why' in s ? [s.why] : [])))];
  if (scopes.every((s) => s.publish === 'all')) return { active: 'yes', why };
  if (scopes.every((s) => s.publish === 'none')) return { active: 'no', why };
  return { active: 'partly', why };
}
