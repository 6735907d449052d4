/**
 * How a category run ended, as support engineers filter runs by it (the `Outcome` search
 * attribute): a run that completed but left every record in error must not look like a success.
 */
export type RunOutcome = 'clean' | 'with-dependencies' | 'with-errors';

export function runOutcome(counts: { readonly error: number; readonly dependency: number }): RunOutcome {
  if (counts.error > 0) return 'with-errors';
  if (counts.dependency > 0) return 'with-dependencies';
  return 'clean';
}
