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

/**
 * An LEA is removed only once no profile in use connects to it (its connections hold the state's
 * keys) or publishes for it as its district. Each kind is told what to do about it.
 */
export function leaRemovalRefusal(inUse: { readonly connected: readonly string[]; readonly publishingFor: readonly string[] }): string | undefined {
  const steps: string[] = [];
  const { connected } = inUse;
  if (connected.length > 0) steps.push(`remove its connection${connected.length === 1 ? '' : 's'} to ${connected.join(', ')}`);
  const others = inUse.publishingFor.filter((name) => !connected.includes(name));
  if (others.length > 0)
    steps.push(
      `move ${others.join(', ')} to another district or remove ${others.length === 1 ? 'it' : 'them'} (${others.length === 1 ? 'it publishes' : 'they publish'} for this one)`,
    );
  return steps.length === 0 ? undefined : `${steps.join(', and ')} first`;
}

/**
 * A Test proved the key serves this LEA's state number; a new number voids that proof, so each
 * connection must pass Test again before it publishes.
 */
export function stateNumberChangeVoidsTests(before: string, after: string | undefined): boolean {
  return after !== undefined && after !== before;
}
