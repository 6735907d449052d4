/** Which publish-queue entries a clerk may take away: waiting publishes and failed runs' entries. */

interface Ticketed {
  readonly ticket: number;
}

/** Why entry `ticket` cannot be dismissed; undefined when it can (used in the queue workflow: pure). */
export function dismissRefusal(
  ticket: number,
  runningTicket: number | undefined,
  waiting: readonly Ticketed[],
  recent: readonly (Ticketed & { readonly outcome: 'completed' | 'failed' })[],
): string | undefined {
  if (ticket === runningTicket) return `#${ticket} is publishing now: it cannot be dismissed, only waited for`;
  if (waiting.some((item) => item.ticket === ticket)) return undefined;
  const finished = recent.find((r) => r.ticket === ticket);
  if (finished === undefined) return `the queue has no entry #${ticket}`;
  if (finished.outcome !== 'failed') return `#${ticket} finished without failing: only failed entries are dismissed`;
  return undefined;
}
