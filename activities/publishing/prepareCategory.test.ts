/** The decisions a category run's preparation makes before it touches the catalog, run as an activity (MockActivityEnvironment). */
import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { prepareCategoryActivities } from './prepareCategory.js';
import { modelOf } from '../../publishing/profileModel.js';
import type { Engine } from './engine.js';
import type { CategoryPlan, ProfileRuntime } from './shared.js';
import type { HoldSwitches } from '../../publishing/holds.js';
import { LaneFirst } from './laneFirst.js';
import { FirstSends } from './firstSends.js';

const profile = { id: 'p', name: 'Prairie ISD', publishPublish: true, schoolYears: [2025], dataStandard: '4.0', stateExtension: 'TX-2025.2.1' };

/** An engine whose profile, switches and SIS school years are given; the catalog is never reached by these decisions. */
function engine(given: { runtime?: Engine['runtime']; switches?: Partial<HoldSwitches>; sisYears?: number[]; publishPublish?: boolean }): Engine {
  const sis = { query: (_sql: string, [year]: [number]) => Promise.resolve({ rowCount: (given.sisYears ?? [2025]).includes(year) ? 1 : 0 }) };
  return {
    deps: undefined as never,
    db: undefined as never,
    source: () => Promise.resolve(sis as unknown as pg.Pool),
    runtime:
      given.runtime ??
      (() => Promise.resolve({ profile: { ...profile, publishPublish: given.publishPublish ?? true }, model: modelOf(profile) } as unknown as ProfileRuntime)),
    switches: () => Promise.resolve({ enableDataExchange: true, systemProcessingEnabled: true, ...given.switches }),
    writeOutcomes: () => Promise.reject(new Error('deciding writes nothing')),
    laneFirst: new LaneFirst(),
    firstSends: new FirstSends(),
    withHeldConnection: () => Promise.reject(new Error('deciding holds no connection')),
  };
}

const prepare = (e: Engine, over: { schoolYear?: number; category?: string } = {}): Promise<CategoryPlan> =>
  new MockActivityEnvironment().run(
    (input: Parameters<ReturnType<typeof prepareCategoryActivities>['prepareCategory']>[0]) => prepareCategoryActivities(e).prepareCategory(input),
    {
      profileId: 'p',
      schoolYear: over.schoolYear ?? 2025,
      category: over.category ?? 'organization-calendars',
      option: 'changes' as const,
      scope: { kind: 'district' as const },
    },
  );

describe('preparing a category run', () => {
  it("refuses with the runtime's reason when the profile cannot publish (no enabled connection)", async () => {
    const why = 'profile "Prairie ISD" has no enabled LEA connection: enter the key and secret, Test, then Enable';
    const plan = await prepare(
      engine({
        runtime: () => Promise.reject(ApplicationFailure.nonRetryable(why)),
      }),
    );
    expect(plan).toEqual({ refused: why, levels: [], skipped: [], descriptors: false });
  });
  it('refuses while Enable Data Exchange or the profile’s Publish switch is off, saying which', async () => {
    expect((await prepare(engine({ switches: { enableDataExchange: false } }))).refused).toMatch(/^Enable Data Exchange is off in Basic Settings/);
    expect((await prepare(engine({ publishPublish: false }))).refused).toBe(
      'Publish is switched off for "Prairie ISD": turn it on in the profile to send anything',
    );
  });
  it('still prepares while System Processing is paused: the paused queue starts nothing, a run already going finishes', async () => {
    expect((await prepare(engine({ switches: { systemProcessingEnabled: false } }), { category: 'descriptors' })).refused).toBeUndefined();
  });
  it('refuses a school year the profile does not have, or one the SIS does not hold', async () => {
    expect((await prepare(engine({}), { schoolYear: 2024 })).refused).toBe(
      'school year 2024 is not configured on profile "Prairie ISD" (it has 2025): add it to the profile first',
    );
    expect((await prepare(engine({ sisYears: [2026] }))).refused).toBe('the SIS has no school year ending 2025: nothing to publish for it');
  });
  it('refuses an unknown category, and plans local descriptors only for Descriptors', async () => {
    expect((await prepare(engine({}), { category: 'no-such-category' })).refused).toBe('unknown category "no-such-category"');
    expect(await prepare(engine({}), { category: 'descriptors' })).toEqual({ levels: [], skipped: [], descriptors: true });
  });
});
