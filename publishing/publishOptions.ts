/**
 * What each publish option sends (the guide's ⋮ menu): whether it extracts from the SIS again, and
 * which catalog records it takes by status. Now – Changes and Now – All take what the extract gives
 * (Changes what changed, All everything); Now – Errors and Now – Dependencies re-extract and send
 * only the records in that status; Now – Missing (the nightly mode of grades and transcripts) sends only
 * the records never published — no updates, no deletes; Now – Last 14 Days (attendance's nightly
 * mode) compares only the records dated in the last RECENT_DAYS days the SIS has; Retry – Errors resends the JSON last sent for records in error;
 * Remove – Unpublished forgets the records never published. Preview – Changes plans exactly as Now –
 * Changes and sends nothing.
 */
import type { PublishOption } from './categories.js';
import type { CatalogStatus } from './outcome.js';

/** The window of Now – Last 14 Days (the guide: the nightly process publishes attendance changes of the last 14 days). */
export const RECENT_DAYS = 14;

/** The first day of that window, from the latest day the SIS has records for (its "today"; the last school day of a past year). */
export function recentSince(latest: string): string {
  const d = new Date(`${latest}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (RECENT_DAYS - 1));
  return d.toISOString().slice(0, 10);
}

/** Whether the option reads the SIS again (the others work from the catalog alone). */
export function usesExtract(option: PublishOption): boolean {
  return option !== 'retry-errors' && option !== 'remove-unpublished';
}

/**
 * Whether the option posts every extracted record of a resource nothing was published of yet —
 * so its batches may go out while the rest of it is still read. Now – Errors and Now –
 * Dependencies act only on catalog records, which such a resource has none of.
 */
export function streamsWhenNothingPublished(option: PublishOption): boolean {
  return !previewOnly(option) && usesExtract(option) && statusesActedOn(option) === undefined;
}

/** Preview – Changes: plans as Now – Changes would, then sends nothing and changes no catalog row. */
export function previewOnly(option: PublishOption): boolean {
  return option === 'preview';
}

/** The option the plan follows: a preview plans as Now – Changes. */
export function plansAs(option: PublishOption): Exclude<PublishOption, 'preview'> {
  return option === 'preview' ? 'changes' : option;
}

/** The catalog statuses the option acts on; undefined when it takes every record the extract gives. */
export function statusesActedOn(option: PublishOption): readonly CatalogStatus[] | undefined {
  switch (option) {
    // Now – Missing takes what the extract gives that the ODS lacks (db/catalogPlan.ts), whatever its status.
    case 'changes':
    case 'preview':
    case 'all':
    case 'missing':
    case 'recent':
      return undefined;
    case 'errors':
    case 'retry-errors':
      return ['error'];
    case 'dependencies':
      return ['dependency'];
    case 'remove-unpublished':
      return ['pending', 'dependency', 'error'];
  }
}
