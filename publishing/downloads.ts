/**
 * Downloads from the state's API (the guide's "Download Data"): which resources each download
 * category reads (how a downloaded record is keyed is in downloadKey.ts).
 */
import { CODE_SETS } from './codeSets.js';

export const DOWNLOAD_CATEGORIES = ['descriptors', 'organization-catalog', 'course-catalog'] as const;
export type DownloadCategory = (typeof DOWNLOAD_CATEGORIES)[number];

/**
 * Descriptors the product maps or publishes: what is downloaded when the API does not publish its
 * dependency list (every ODS/API 5.x-7.x does; it is the fallback for other hosts).
 */
const DESCRIPTOR_RESOURCES = [
  ...new Set([
    ...CODE_SETS.map((c) => c.descriptor),
    'gradingPeriodDescriptors',
    'termDescriptors',
    'educationOrganizationCategoryDescriptors',
    'schoolCategoryDescriptors',
    'programTypeDescriptors',
    'calendarEventDescriptors',
  ]),
].sort();

export function downloadResources(category: DownloadCategory): string[] {
  switch (category) {
    case 'descriptors':
      return DESCRIPTOR_RESOURCES.map((d) => `ed-fi/${d}`);
    case 'organization-catalog':
      return ['ed-fi/localEducationAgencies', 'ed-fi/schools'];
    case 'course-catalog':
      return ['ed-fi/courses'];
  }
}

/** Every descriptor resource an API lists in its dependencies (all projects: ed-fi, tx, …), as resource paths, sorted. */
export function descriptorResourcesOf(dependencies: ReadonlyArray<{ readonly resource: string }>): string[] {
  return [...new Set(dependencies.map((d) => d.resource.replace(/^\/+/, '')).filter((r) => /^[\w-]+\/\w+Descriptors$/.test(r)))].sort();
}

/** The guide: the Course Catalog download exists for SIS profiles only. */
export function categoriesFor(profileType: string): DownloadCategory[] {
  return profileType === 'SIS' || profileType === 'SIS+HR' ? [...DOWNLOAD_CATEGORIES] : ['descriptors', 'organization-catalog'];
}
