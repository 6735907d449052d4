/**
 * What holds a profile's traffic to the ODS, in the guide's words: Basic Settings' Enable Data
 * Exchange (the master switch), Diagnostics' System Processing, the profile's Publish switch.
 * One rule, so category runs, dependency retries and downloads pause alike.
 */
export interface HoldSwitches {
  readonly enableDataExchange: boolean;
  readonly systemProcessingEnabled: boolean;
}

/**
 * Why this work may not talk to the ODS now, or undefined. A category run does not check System
 * Processing: the paused publish queue does not start one, and one already running finishes.
 */
export function holdReason(
  settings: HoldSwitches,
  profile: { name: string; publishPublish: boolean },
  work: 'category run' | 'dependency retry' | 'download',
): string | undefined {
  if (!settings.enableDataExchange) return 'Enable Data Exchange is off in Basic Settings (Configure): turn it on to exchange anything with the ODS';
  if (work !== 'category run' && !settings.systemProcessingEnabled)
    return 'System Processing is paused (Diagnostics): it resumes when processing is enabled again';
  if (work !== 'download' && !profile.publishPublish) return `Publish is switched off for "${profile.name}": turn it on in the profile to send anything`;
  return undefined;
}
