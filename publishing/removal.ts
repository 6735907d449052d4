/**
 * Configure's Remove and Edit rules for profiles and LEAs: what would strand work or leave a
 * connection trusted for a district it was never tested against.
 */
import { findCategory } from './categories.js';

interface QueuedWork {
  readonly running: { readonly request: { readonly category: string } } | undefined;
  readonly beside?: { readonly request: { readonly category: string } };
  readonly waiting: readonly { readonly request: { readonly category: string } }[];
}

const labelOf = (category: string): string => findCategory(category)?.label ?? category;

/**
 * A profile with a run going or queued is not removed: the run would go on publishing for a
 * profile nobody can see. Says what to wait for; undefined when nothing is pending.
 */
export function profileRemovalRefusal(queue: QueuedWork | undefined): string | undefined {
  if (queue === undefined) return undefined;
  const publishing = queue.running ?? queue.beside;
  if (publishing !== undefined) return `${labelOf(publishing.request.category)} is publishing for this profile: remove the profile once it has finished`;
  if (queue.waiting.length > 0) {
    const names = queue.waiting.map((w) => labelOf(w.request.category));
    return `${names.length} publish${names.length === 1 ? ' is' : 'es are'} queued for this profile (${names.join(', ')}): remove the profile once the queue is empty`;
  }
  return undefined;
}

/** An LEA is removed only once no profile in use connects to it or publishes for it: its connections hold the state's keys. */
export function leaRemovalRefusal(connectedProfiles: readonly string[]): string | undefined {
  if (connectedProfiles.length === 0) return undefined;
  return `remove its connection${connectedProfiles.length === 1 ? '' : 's'} to ${connectedProfiles.join(', ')} first`;
}

/**
 * A Test proved the key serves this LEA's state number; a new number voids that proof, so each
 * connection must pass Test again before it publishes.
 */
export function stateNumberChangeVoidsTests(before: string, after: string | undefined): boolean {
  return after !== undefined && after !== before;
}
