/** Sends one batch of a plan: the delete phase, or the post phase. */
import { ApplicationFailure } from '@temporalio/common';
import { runLog } from '../runLog.js';
import { PLAN_LOST } from '../../publishing/failureTypes.js';
import { planLost } from '../../db/catalogPlan.js';
import { batchHasDeletes, batchRows, forgetRecords, unresolvedReferences, type CatalogWrite } from '../../db/catalog.js';
import { type DependencySource, type Outcome } from '../../publishing/outcome.js';
import { queueDependencyRetries, wakeDependents } from './dependencies.js';
import { setupFailure, logBatch } from './sending.js';
import { deleteRow, postRow } from './batchRows.js';
import { type EntityRun, type BatchSummary } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

export function sendBatchActivities(e: Engine) {
  return {
    /**
     * One batch of a plan. The delete phase (dependents first) deletes what left the source and the
     * old records of changed natural keys; the post phase (in dependency order) sends the rest.
     */
    async sendBatch(run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }): Promise<BatchSummary> {
      const rt = await e.runtime(run.profileId);
      const resourceModel = rt.model.resource(run.resource);
      if (resourceModel === undefined) throw ApplicationFailure.nonRetryable(`${run.resource} is not part of the profile's Ed-Fi model`);
      const name = catalogName(run.resource);
      const summary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
      // Most batches hold only posts: the delete phase need not read their JSON (runs from before the
      // workflow listed the batches that delete still send every batch through it).
      const lost = (): ApplicationFailure => {
        runLog('WARN', 'plan lost: the run plans again', { resource: run.resource, batch: run.batchNo, phase: run.phase });
        return ApplicationFailure.nonRetryable(
          `the plan of ${run.resource} was lost (Postgres restarted or failed over): nothing of this batch counts as sent; the run plans again`,
          PLAN_LOST,
        );
      };
      if (run.phase === 'delete' && !(await batchHasDeletes(e.db, run.runId, name, run.batchNo))) {
        if (await planLost(e.db, run.runId)) throw lost();
        return summary;
      }
      // A post batch's references are checked while its rows are read (two connections, one round trip less).
      const [rows, unresolved] = await Promise.all([
        batchRows(e.db, run.runId, name, run.batchNo, run.profileId, run.schoolYear),
        run.phase === 'post' ? unresolvedReferences(e.db, run.runId, name, run.batchNo, rt.peers, run.schoolYear) : undefined,
      ]);
      // Every planned batch has rows: none means the plan is gone, not that there was nothing to send.
      if (rows.length === 0 && (await planLost(e.db, run.runId))) throw lost();
      if (run.phase === 'post') e.firstSends.begun(run.runId, run.batchNo);
      const writes: CatalogWrite[] = [];
      /** The first set-up refusal met: the run stops after this batch. */
      let setup: Outcome | undefined;
      if (run.phase === 'delete') {
        const results = await Promise.all(rows.map((row) => deleteRow(e, rt, run, row)));
        const forget = rows.filter((_, i) => results[i].kind === 'forget').map((row) => row.sourceKey);
        for (const r of results) {
          if (r.kind !== 'sent') continue;
          writes.push(r.write);
          if (r.deleted) summary.deleted++;
          else summary.error++;
          setup ??= r.outcome.setup !== undefined ? r.outcome : undefined;
        }
        await forgetRecords(e.db, run.profileId, run.schoolYear, name, forget);
        summary.forgotten = forget.length;
        await e.writeOutcomes(run.profileId, run.schoolYear, name, writes);
        logBatch(run, summary, writes);
        if (setup !== undefined) throw await setupFailure(e, run.profileId, run.resource, setup);
        return { ...summary, connections: rt.ods.size };
      }

      const published: string[] = [];
      const retries: Array<{ sourceKey: string; source: DependencySource }> = [];
      const results = await Promise.all(rows.map((row) => postRow(e, rt, run, resourceModel, row, unresolved?.get(row.sourceKey))));
      results.forEach((r, i) => {
        const sourceKey = rows[i].sourceKey;
        if (r.kind === 'skip') return;
        writes.push(r.write);
        if (r.kind === 'withheld') {
          if (r.dependency) {
            summary.dependency++;
            retries.push({ sourceKey, source: 'computed' });
          } else if (!r.excluded) summary.error++;
          return;
        }
        setup ??= r.outcome.setup !== undefined ? r.outcome : undefined;
        if (r.outcome.status === 'published') {
          summary.published++;
          published.push(...r.releases);
        } else if (r.outcome.status === 'dependency') {
          summary.dependency++;
          retries.push({ sourceKey, source: 'api' });
        } else summary.error++;
      });
      await e.writeOutcomes(run.profileId, run.schoolYear, name, writes, run.runId);
      await queueDependencyRetries(e, run.profileId, run.schoolYear, name, retries);
      await wakeDependents(e, rt, run.schoolYear, published);
      logBatch(run, summary, writes);
      if (setup !== undefined) throw await setupFailure(e, run.profileId, run.resource, setup);
      return { ...summary, connections: rt.ods.size };
    },
  };
}
