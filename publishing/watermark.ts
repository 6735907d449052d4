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
  /**
   * Now – Last 14 Days' watermark (`ownMarkOf`): the first day of the window it covers, or null when the
   * run that left it compared the whole resource (Now – Changes, Now – All).
   */
  readonly windowSince?: string | null;
}

/**
 * The nightly modes that trace from a watermark of their own: Now – Last 14 Days leaves changes
 * dated before its window unsent, Now – Missing every update — so neither may move Now – Changes'
 * mark (a Now – Changes starting from it would miss what they left), while a complete Now –
 * Changes or Now – All leaves the whole resource as the SIS has it and moves all three.
 */
export const OWN_MARK_OPTIONS = ['recent', 'missing'] as const;
export type OwnMarkOption = (typeof OWN_MARK_OPTIONS)[number];

/** The key of such a mode's watermark, beside the resource's own. */
export function ownMarkOf(resource: string, option: OwnMarkOption): string {
  return `${resource}@${option}`;
}

export const READ_WHOLE = {
  noCompleteRun: 'no complete run to start from',
  inputsChanged: "its code sets' mappings, its resource preferences, its mapper's revision, the profile or the replica changed since the last complete run",
  eventGone: 'the SIS event queue no longer holds the last event read (reloaded or purged)',
  windowMovedBack: "the window starts before the last complete run's (the SIS's latest day moved back): its first days were not compared",
} as const;

/** Why the resource must be read whole judging by its watermark alone, or undefined (then check the event is still held: `mustCheckEvent`). */
export function readWholeBecause(mark: Watermark | undefined, fingerprint: string, windowSince?: string): string | undefined {
  if (mark === undefined) return READ_WHOLE.noCompleteRun;
  if (mark.fingerprint !== fingerprint) return READ_WHOLE.inputsChanged;
  // Days before the mark's window were outside every run since: only their changes since would be traced.
  if (windowSince !== undefined && mark.windowSince != null && windowSince < mark.windowSince) return READ_WHOLE.windowMovedBack;
  return undefined;
}

/** Event 0 is "before any event": nothing to find in the queue. */
export function mustCheckEvent(mark: Watermark): boolean {
  return mark.eventId > 0;
}
