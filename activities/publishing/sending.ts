/** One request to the ODS and what becomes of the record: the precheck before sending, the outcome written to the catalog, set-up problems, the batch's log line. */
import { ApplicationFailure } from '@temporalio/common';
import { runLog } from '../runLog.js';
import { batchLogLevel, statusTally } from '../../publishing/logging.js';
import { SETUP_PROBLEM } from '../../publishing/failureTypes.js';
import { recordSetupProblem } from '../../db/setupProblems.js';
import { type CatalogWrite } from '../../db/catalog.js';
import { classifyResponse, networkFailure, type Outcome } from '../../publishing/outcome.js';
import { type EntityRun, type BatchSummary, type ProfileRuntime } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

/**
 * Sends one document and says what became of it (a network failure is an error worth retrying).
 * `ahead`: a woken record (the dependency lane) takes the next free connection before the running
 * category's, so it reaches the ODS seconds after what it waited for, not after the whole run.
 */
export const send = async (
  e: Engine,
  rt: ProfileRuntime,
  resource: string,
  doc: Record<string, unknown> | string,
  ahead = false,
): Promise<{ outcome: Outcome; http: number | null; id: string | undefined }> => {
  const started = Date.now();
  try {
    const answer = await rt.ods.post(resource, doc, ahead);
    runLog('DEBUG', 'POST answered', { resource, http: answer.status, ms: Date.now() - started });
    return { outcome: classifyResponse('POST', answer.status, answer.body), http: answer.status, id: answer.id };
  } catch (err) {
    runLog('DEBUG', 'POST failed without an answer', { resource, ms: Date.now() - started });
    return { outcome: networkFailure((err as Error).message), http: null, id: undefined };
  }
};

/**
 * The ODS refused for a reason of its set-up: the connection remembers it, so the dashboard and
 * Configure say what to fix. Answers the problem as the clerk reads it.
 */
export const noteSetupProblem = async (e: Engine, profileId: string, resource: string, outcome: Outcome): Promise<string> => {
  const problem = `${catalogName(resource)}: ${outcome.message}${outcome.hint !== undefined ? ` — ${outcome.hint}` : ''}`;
  await recordSetupProblem(e.db, profileId, problem);
  runLog('ERROR', 'set-up problem', { resource, setup: outcome.setup });
  return problem;
};

/** A batch that met a set-up refusal stops its run: every other record would meet the same. */
export const setupFailure = async (e: Engine, profileId: string, resource: string, outcome: Outcome): Promise<ApplicationFailure> =>
  ApplicationFailure.nonRetryable(`Set-up problem, the run stopped. ${await noteSetupProblem(e, profileId, resource, outcome)}`, SETUP_PROBLEM);

export { outcomeWrite, precheck } from '../../publishing/recordFate.js';

/** One line per sent batch, as loud as its worst record; failed records counted by HTTP status. */
export const logBatch = (run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }, summary: BatchSummary, writes: readonly CatalogWrite[]): void => {
  const failed = statusTally(writes.filter((w) => w.status === 'error').map((w) => w.httpStatus));
  runLog(batchLogLevel(summary), 'batch sent', {
    resource: run.resource,
    phase: run.phase,
    batch: run.batchNo,
    ...summary,
    ...(failed !== '' ? { failed } : {}),
  });
};
