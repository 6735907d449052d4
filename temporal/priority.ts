/**
 * How a category run's tasks are ordered when the workers are busy: Temporal task-queue priority
 * and fairness. A run's activities inherit its priority, so a run that one district's near-real-time
 * change starts goes ahead of the batches another district's initial synchronization has queued,
 * and districts at the same priority share the workers in turn (one fairness key per profile)
 * instead of first come, first served.
 *
 * Priority is on by default in Temporal 1.28+; fairness needs `matching.enableFairness` (the dev
 * server `npm start` runs sets it; README's "Fairness between districts" says how for a cluster).
 */
import type { Priority } from '@temporalio/common';
import type { Trigger } from '../publishing/publishRequest.js';

/**
 * Lower goes first (Temporal's keys run 1–5; 3 is the default). A SIS change waits seconds, a
 * clerk's click a little more; the weekend's, nightly and initial-sync runs are bulk work that
 * can wait behind both.
 */
export const PRIORITY_OF_TRIGGER: Readonly<Record<Trigger, number>> = {
  'data-changes': 1,
  clerk: 2,
  api: 2,
  cascade: 2,
  dependencies: 3,
  schedule: 4,
  'initial-sync': 5,
};

/** The priority of a profile's category run started by this trigger; its activities inherit it. */
export function runPriority(profileId: string, trigger: Trigger): Priority {
  // Temporal's fairness keys are at most 64 bytes: a profile id is at most 64 ASCII letters, digits,
  // - and _ (api/routes/configuration.ts), so the id itself is the key and two profiles never share one.
  return { priorityKey: PRIORITY_OF_TRIGGER[trigger], fairnessKey: profileId };
}
