import { describe, expect, it } from 'vitest';
import { LaneFirst } from './laneFirst.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A lane activity that runs until `end()` is called. */
function held(lanes: LaneFirst, profileId: string): { end: () => void; done: Promise<void> } {
  let end = (): void => undefined;
  const done = lanes.lane(profileId, () => new Promise<void>((resolve) => (end = resolve)));
  return { end: () => end(), done };
}

describe('the dependency lane goes first', () => {
  it("lets a batch start at once when the profile's lane is idle", async () => {
    const lanes = new LaneFirst(20, 1_000);
    expect(await lanes.giveWay('p')).toBe(0);
  });

  it("holds the profile's other batches while its lane works, and starts them once the lane has stayed idle a moment", async () => {
    const lanes = new LaneFirst(20, 5_000);
    const wake = held(lanes, 'p');
    const order: string[] = [];
    const batch = lanes.giveWay('p').then(() => order.push('batch'));
    await sleep(50);
    expect(order).toEqual([]);
    wake.end();
    await wake.done;
    order.push('wake ended');
    await batch;
    expect(order).toEqual(['wake ended', 'batch']);
  });

  it("keeps holding when the lane's next activity follows within the grace", async () => {
    const lanes = new LaneFirst(40, 5_000);
    const extract = held(lanes, 'p');
    let started = false;
    const batch = lanes.giveWay('p').then(() => (started = true));
    extract.end();
    await extract.done;
    await sleep(5);
    const send = held(lanes, 'p');
    await sleep(80);
    expect(started).toBe(false);
    send.end();
    await batch;
    expect(started).toBe(true);
  });

  it('does not hold another profile', async () => {
    const lanes = new LaneFirst(20, 5_000);
    const wake = held(lanes, 'p');
    expect(await lanes.giveWay('q')).toBe(0);
    wake.end();
    await wake.done;
  });

  it('lets a batch go after at most its longest wait, however long the lane works', async () => {
    const lanes = new LaneFirst(20, 60);
    const wake = held(lanes, 'p');
    const waited = await lanes.giveWay('p');
    expect(waited).toBeGreaterThanOrEqual(50);
    expect(waited).toBeLessThan(1_000);
    wake.end();
    await wake.done;
  });

  it('tells the metrics each wait that happened, and nothing when the lane was idle', async () => {
    const waits: Array<[string, number]> = [];
    const lanes = new LaneFirst(20, 60, (profileId, ms) => waits.push([profileId, ms]));
    expect(await lanes.giveWay('p')).toBe(0);
    const wake = held(lanes, 'p');
    await lanes.giveWay('p');
    wake.end();
    await wake.done;
    expect(waits.map(([p]) => p)).toEqual(['p']);
    expect(waits[0][1]).toBeGreaterThanOrEqual(50);
  });

  it('ends a lane activity that fails, and passes its error on', async () => {
    const lanes = new LaneFirst(10, 5_000);
    await expect(lanes.lane('p', () => Promise.reject(new Error('ODS down')))).rejects.toThrow('ODS down');
    await sleep(30);
    expect(await lanes.giveWay('p')).toBe(0);
  });
});
