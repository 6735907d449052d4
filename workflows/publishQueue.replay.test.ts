import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/createWorkers.js';

// A history recorded from a real dev-server run (RECORD_FIXTURES=1 on the integration test):
// enqueue by update, a duplicate, a failed child and three completions. Any change to the
// workflow that would break runs already in flight fails here.
describe('publishQueue determinism', () => {
  it('replays a recorded publish-queue history without non-determinism', async () => {
    const history: unknown = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../test/fixtures/publish-queue-history.json'), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: 'publish-queue-recorded' }, history);
  });
});
