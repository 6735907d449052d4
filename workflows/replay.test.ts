import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_PATH, WORKFLOWS_PATH } from '../worker/createWorkers.js';

// Histories recorded from real dev-server runs (RECORD_FIXTURES=1 on the integration tests that
// run them): any change to a workflow that would break runs already in flight fails here.
const FIXTURES = path.resolve(import.meta.dirname, '../test/fixtures');
const recorded = readdirSync(FIXTURES).filter((f) => f.endsWith('-history.json'));

describe('workflow determinism', () => {
  it('has a recorded history for every workflow kind', () => {
    expect(recorded.map((f) => f.replace('-history.json', '')).sort()).toEqual([
      'category-publish',
      'category-publish-local-preparation',
      'category-publish-streamed',
      'category-publish-traced-streamed',
      'data-changes',
      'data-changes-counted-apart',
      'data-changes-queued-apart',
      'dependency-retries',
      'dependency-retry',
      'download',
      'initial-sync',
      'publish-queue',
      'record-action',
      'resync',
      'scheduled-sync',
    ]);
  });

  for (const file of recorded) {
    it(`replays ${file} without non-determinism`, async () => {
      const history: unknown = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
      // With the tracing interceptors every worker runs: they must not change a recorded run's commands.
      await Worker.runReplayHistory(
        { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS_PATH] }, replayName: file },
        history,
      );
    });
  }
});
