/** Ends a category run that went well: its watermarks move and its plans are cleared. */
import { runLog } from '../runLog.js';
import { clearRuns } from '../../db/catalogPlan.js';
import { promoteWatermarks } from '../../db/changeWatermark.js';
import type { Engine } from './engine.js';

export function finishRunActivities(e: Engine) {
  return {
    async finishRun(input: { runIds: string[] }): Promise<void> {
      await e.withHeldConnection(async (client) => {
        // The run ended well: Now – Changes may start from what it read.
        const settled = await promoteWatermarks(client, input.runIds);
        // Their changes are in the ODS now: how long the oldest took from the SIS commit.
        for (const s of settled) e.deps.metrics?.changesReachedOds(s.profileId, s.resource, s.oldestSeconds);
        await clearRuns(client, input.runIds);
        runLog('INFO', 'run finished: watermarks moved, plans cleared', { runs: input.runIds.length });
      });
    },
  };
}
