/** Sends one batch of a plan: the delete phase, or the post phase. */
import { ApplicationFailure } from '@temporalio/common';
import { runLog } from '../runLog.js';
import { PLAN_LOST } from '../../publishing/failureTypes.js';
import { planLost } from '../../db/catalogPlan.js';
import { batchHasDeletes, batchRows, forgetRecords, unresolvedReferences, writeOutcomes, type BatchRow, type CatalogWrite } from '../../db/catalog.js';
import { classifyResponse, networkFailure, type DependencySource, type Outcome } from '../../publishing/outcome.js';
import { queueDependencyRetries, wakeDependents } from './dependencies.js';
import { send, setupFailure, outcomeWrite, precheck, logBatch } from './sending.js';
import { cascadeDependents } from './cascade.js';
import { type EntityRun, type BatchSummary, catalogName } from './shared.js';
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
      const rows = await batchRows(e.db, run.runId, name, run.batchNo, run.profileId, run.schoolYear);
      // Every planned batch has rows: none means the plan is gone, not that there was nothing to send.
      if (rows.length === 0 && (await planLost(e.db, run.runId))) throw lost();
      const writes: CatalogWrite[] = [];
      /** The first set-up refusal met: the run stops after this batch. */
      let setup: Outcome | undefined;
      if (run.phase === 'delete') {
        const forget: string[] = [];
        await Promise.all(
          rows.map(async (row) => {
            if (row.action === 'post') return;
            if (row.action === 'forget' || row.edfiId === null) {
              if (row.action !== 'rekey') forget.push(row.sourceKey);
              return;
            }
            let outcome: Outcome;
            let http: number | null = null;
            // A new key for a record others refer to: they go first, or the ODS refuses the delete (409).
            if (row.action === 'rekey') await cascadeDependents(e, rt, run.profileId, run.schoolYear, run.resource, row.sourceKey);
            try {
              const started = Date.now();
              const answer = await rt.limit.run(() => rt.client.delete(run.resource, row.edfiId!));
              http = answer.status;
              runLog('DEBUG', 'DELETE answered', { resource: run.resource, http, ms: Date.now() - started });
              outcome = classifyResponse('DELETE', answer.status, answer.body);
            } catch (err) {
              outcome = networkFailure((err as Error).message);
            }
            const base = {
              sourceKey: row.sourceKey,
              schoolId: row.catalogSchoolId,
              naturalKey: row.catalogNaturalKey ?? '',
              payloadHash: row.catalogHash ?? '',
              sentJson: null,
            };
            setup ??= outcome.setup !== undefined ? outcome : undefined;
            if (outcome.status === 'deleted') {
              summary.deleted++;
              // A re-keyed record is posted anew in the post phase; a gone one stays as "deleted".
              writes.push({
                ...base,
                edfiId: null,
                status: row.action === 'rekey' ? 'pending' : 'deleted',
                statusDescription: row.action === 'rekey' ? 'natural key changed: old record deleted, new one to be posted' : null,
                httpStatus: http,
                dependencySource: null,
                dependsOn: null,
                attempted: true,
              });
            } else {
              summary.error++;
              writes.push({ ...outcomeWrite(base, row.edfiId, outcome, http), status: 'error' });
            }
          }),
        );
        await forgetRecords(e.db, run.profileId, run.schoolYear, name, forget);
        summary.forgotten = forget.length;
        await writeOutcomes(e.db, run.profileId, run.schoolYear, name, writes);
        logBatch(run, summary, writes);
        if (setup !== undefined) throw await setupFailure(e, run.profileId, run.resource, setup);
        return summary;
      }

      const unresolved = await unresolvedReferences(e.db, run.runId, name, run.batchNo, run.profileId, run.schoolYear);
      const published: string[] = [];
      const retries: Array<{ sourceKey: string; source: DependencySource }> = [];
      await Promise.all(
        rows.map(async (row: BatchRow) => {
          if (row.action !== 'post' && row.action !== 'rekey') return;
          // The old record could not be deleted: posting the new one would leave two in the ODS.
          if (row.action === 'rekey' && row.edfiId !== null && row.docText !== null) return;
          const doc = row.docText ?? row.sentJson;
          if (doc === null) return;
          const base = {
            sourceKey: row.sourceKey,
            schoolId: row.schoolId,
            naturalKey: row.naturalKey ?? row.catalogNaturalKey ?? '',
            // A planned record is staged or in the catalog, and both keep its hash.
            payloadHash: row.payloadHash ?? row.catalogHash ?? '',
            // Staged JSON is copied into the catalog by SQL; only a catalog resend carries it here.
            sentJson: typeof doc === 'string' ? null : doc,
          };
          // Staged text was checked against the model when extracted; a catalog resend is checked now.
          const withheld = precheck(
            resourceModel,
            rt.model,
            { error: row.error, dependency: row.dependency, ...(typeof doc === 'string' ? {} : { doc }) },
            unresolved.get(row.sourceKey),
          );
          if (withheld !== undefined) {
            writes.push({ ...base, edfiId: row.edfiId, ...withheld, attempted: false });
            if (withheld.status === 'dependency') {
              summary.dependency++;
              retries.push({ sourceKey: row.sourceKey, source: 'computed' });
            } else summary.error++;
            return;
          }
          const { outcome, http, id } = await send(e, rt, run.resource, doc);
          writes.push(outcomeWrite(base, id ?? row.edfiId, outcome, http));
          setup ??= outcome.setup !== undefined ? outcome : undefined;
          if (outcome.status === 'published') {
            summary.published++;
            published.push(`${name}|${base.naturalKey}`);
          } else if (outcome.status === 'dependency') {
            summary.dependency++;
            retries.push({ sourceKey: row.sourceKey, source: 'api' });
          } else summary.error++;
        }),
      );
      await writeOutcomes(e.db, run.profileId, run.schoolYear, name, writes, run.runId);
      await queueDependencyRetries(e, run.profileId, run.schoolYear, name, retries);
      await wakeDependents(e, rt.model, run.profileId, run.schoolYear, published);
      logBatch(run, summary, writes);
      if (setup !== undefined) throw await setupFailure(e, run.profileId, run.resource, setup);
      return summary;
    },
  };
}
