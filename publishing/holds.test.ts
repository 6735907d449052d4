import { describe, expect, it } from 'vitest';
import { holdReason } from './holds.js';

const on = { enableDataExchange: true, systemProcessingEnabled: true };
const profile = { name: 'Demo', publishPublish: true };
const WORK = ['category run', 'dependency retry', 'download'] as const;

describe('what holds traffic to the ODS', () => {
  it('nothing when every switch is on', () => {
    for (const work of WORK) expect(holdReason(on, profile, work)).toBeUndefined();
  });
  it('Enable Data Exchange off holds every kind of work, and says so first', () => {
    for (const work of WORK)
      expect(holdReason({ enableDataExchange: false, systemProcessingEnabled: false }, { ...profile, publishPublish: false }, work)).toContain(
        'Enable Data Exchange is off',
      );
  });
  it('a paused System Processing holds retries and downloads; a category run is held by its queue instead', () => {
    const paused = { ...on, systemProcessingEnabled: false };
    expect(holdReason(paused, profile, 'dependency retry')).toContain('System Processing is paused');
    expect(holdReason(paused, profile, 'download')).toContain('System Processing is paused');
    expect(holdReason(paused, profile, 'category run')).toBeUndefined();
  });
  it("the profile's Publish switch holds what publishes, not downloads", () => {
    const off = { ...profile, publishPublish: false };
    expect(holdReason(on, off, 'category run')).toContain('Publish is switched off for "Demo"');
    expect(holdReason(on, off, 'dependency retry')).toContain('Publish is switched off for "Demo"');
    expect(holdReason(on, off, 'download')).toBeUndefined();
  });
});
