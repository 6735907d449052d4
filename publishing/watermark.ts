/**
 * When Now – Changes may start from a resource's watermark (the newest SIS event a complete run
 * read) instead of reading the resource whole: there must be a complete run, nothing besides the
 * SIS rows may have changed since (its fingerprint), and the event queue must still hold the event
 * it stopped at. A run's candidate becomes the watermark only when the whole category run ended
 * well (finishRun), so a run that fails part-way is read again from the old one.
 */
export interface Watermark {
  readonly eventId: number;
  readonly fingerprint: string;
}

export const READ_WHOLE = {
  noCompleteRun: 'no complete run to start from',
  inputsChanged: "its code sets' mappings, its resource preferences, its mapper's revision, the profile or the replica changed since the last complete run",
  eventGone: 'the SIS event queue no longer holds the last event read (reloaded or purged)',
} as const;

/** Why the resource must be read whole judging by its watermark alone, or undefined (then check the event is still held: `mustCheckEvent`). */
export function readWholeBecause(mark: Watermark | undefined, fingerprint: string): string | undefined {
  if (mark === undefined) return READ_WHOLE.noCompleteRun;
  if (mark.fingerprint !== fingerprint) return READ_WHOLE.inputsChanged;
  return undefined;
}

/** Event 0 is "before any event": nothing to find in the queue. */
export function mustCheckEvent(mark: Watermark): boolean {
  return mark.eventId > 0;
}
