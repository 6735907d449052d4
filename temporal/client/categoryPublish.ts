/** Client side of a category run, as its activities use it: a streaming extract tells the run which batches are ready. */
import type { Client } from '@temporalio/client';
import { batchesPlannedSignal, type BatchesPlanned } from '../contract.js';

/** Signals the very run (not a later continue-as-new of it) that the batches are planned. */
export async function reportBatchesPlanned(
  client: Client,
  run: { readonly workflowId: string; readonly runId: string },
  planned: BatchesPlanned,
): Promise<void> {
  await client.workflow.getHandle(run.workflowId, run.runId).signal(batchesPlannedSignal, planned);
}
