/**
 * Preview – Changes: what a Now – Changes would do, told per entity as a clerk reads it — records
 * posted (new to the ODS), updated (the ODS has them; their JSON changed), re-keyed (their
 * identity changed: the old record is deleted, the new one posted) and deleted (gone from the SIS).
 */
export type PreviewKind = 'post' | 'update' | 'rekey' | 'delete';
export const PREVIEW_KINDS: readonly PreviewKind[] = ['post', 'update', 'rekey', 'delete'];

export type PreviewCounts = Record<PreviewKind, number>;

/** Records shown of each kind. */
export const PREVIEW_SAMPLES = 5;

export interface PreviewSample {
  readonly kind: PreviewKind;
  readonly sourceKey: string;
  /** The record's identity (its natural key fields). */
  readonly naturalKey: Record<string, unknown>;
  /** An update's JSON fields that changed (dotted paths; a changed list by its own path). */
  readonly changed?: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The paths at which two JSON documents differ, shallowest first: a changed list reports the list
 * (Ed-Fi lists are sets, so an item's position says little), a changed object its changed fields.
 */
export function changedFields(before: unknown, after: unknown, at = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedFields(before[k], after[k], at === '' ? k : `${at}.${k}`));
  }
  return same(before, after) ? [] : [at === '' ? '(whole record)' : at];
}

/** Deep equality of JSON values, whatever the key order. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

/** A plan's action and whether the ODS has the record → what the preview calls it (forgetting a never-published record is not an ODS change). */
export function previewKind(action: 'post' | 'rekey' | 'delete' | 'forget', inOds: boolean): PreviewKind | undefined {
  if (action === 'forget') return undefined;
  if (action === 'post') return inOds ? 'update' : 'post';
  return action;
}
