/**
 * A category run's schedule once its plan is known: level by level, what waits for which extracts,
 * when the delete pass goes, when local descriptors go, and which resources' batches are counted
 * into the run's total. Extracts all start at once; the workflow follows these steps as they
 * finish (workflows/categoryPublish.ts). The rules:
 *
 * - A level's posts start once it and the levels before it are extracted, while later levels
 *   still extract — so the ODS is not kept waiting.
 * - Unless a level so far deletes something: then every extract is awaited and the whole delete
 *   pass goes first, dependents first, before any post could meet what it deletes (a re-keyed
 *   parent is deleted before its new key is posted).
 * - Local descriptors go before the records that use them: before the first level (what earlier
 *   runs left pending) and again before a level whose newly counted extracts met new ones.
 * - Remove Unpublished deletes only: no posts, no descriptors.
 */
import type { PublishOption } from './categories.js';

/** What the schedule needs to know of an extracted resource. */
export interface ExtractedResource {
  /** It has batches with deletes. */
  readonly deletes: boolean;
  /** Local descriptors its extract met that the catalog did not hold (undefined: not counted, as earlier runs did). */
  readonly newLocalDescriptors: number | undefined;
}

export interface ScheduleState {
  /** The delete pass has gone. */
  readonly deleted: boolean;
  /** Local descriptors may be waiting: send them before the next posts. */
  readonly descriptorsWaiting: boolean;
  /** Resources whose batches are counted into the run's total. */
  readonly counted: readonly string[];
}

export const SCHEDULE_START: ScheduleState = { deleted: false, descriptorsWaiting: true, counted: [] };

/** With levels 0..n extracted: must every other extract finish too before this level's steps (a delete so far)? */
export function waitsForEveryExtract(state: ScheduleState, upTo: readonly string[], extracted: (resource: string) => ExtractedResource): boolean {
  return !state.deleted && upTo.some((r) => extracted(r).deletes);
}

export type RunStep = { readonly kind: 'delete-pass' } | { readonly kind: 'local-descriptors' } | { readonly kind: 'post-level'; readonly level: number };

/**
 * Level n's steps, in order, once what it waits for is extracted (`everyExtract`: the answer of
 * `waitsForEveryExtract`): the resources to count now, the steps, and the state after.
 */
export function levelSteps(
  state: ScheduleState,
  at: {
    readonly level: number;
    readonly upTo: readonly string[];
    readonly all: readonly string[];
    readonly everyExtract: boolean;
    readonly option: PublishOption;
    readonly extracted: (resource: string) => ExtractedResource;
  },
): { readonly count: readonly string[]; readonly steps: readonly RunStep[]; readonly next: ScheduleState } {
  const counted = new Set(state.counted);
  const count = (at.everyExtract || state.deleted ? at.all : at.upTo).filter((r) => !counted.has(r));
  const descriptorsWaiting = state.descriptorsWaiting || count.some((r) => at.extracted(r).newLocalDescriptors !== 0);
  const steps: RunStep[] = at.everyExtract ? [{ kind: 'delete-pass' }] : [];
  const deleted = state.deleted || at.everyExtract;
  if (at.option === 'remove-unpublished') return { count, steps, next: { deleted, descriptorsWaiting, counted: [...state.counted, ...count] } };
  if (descriptorsWaiting) steps.push({ kind: 'local-descriptors' });
  steps.push({ kind: 'post-level', level: at.level });
  return { count, steps, next: { deleted, descriptorsWaiting: false, counted: [...state.counted, ...count] } };
}
