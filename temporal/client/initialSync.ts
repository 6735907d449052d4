/** Client side of `initial-sync/{profileId}/{year}`: start it, read its progress, pause, resume, cancel. */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { initialSyncWorkflowId } from '../ids.js';
import { ProfileIdKey, SchoolIdKey, SchoolYearKey, TriggerKey } from '../searchAttributes.js';
import { initialSyncQuery, pauseInitialSyncSignal, type InitialSyncInput, type InitialSyncProgress, type Workflows } from '../contract.js';

/** Starts it; undefined when one is already running for the profile's year. */
export async function startInitialSync(client: Client, config: TemporalConfig, input: InitialSyncInput): Promise<string | undefined> {
  const workflowId = initialSyncWorkflowId(input.profileId, input.schoolYear);
  try {
    await client.workflow.start<Workflows['initialSync']>('initialSync', {
      workflowId,
      taskQueue: config.taskQueues.publishing,
      args: [input],
      // One at a time; a finished one may be run again.
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: ProfileIdKey, value: input.profileId },
        { key: SchoolYearKey, value: input.schoolYear },
        { key: TriggerKey, value: 'initial-sync' },
        ...(input.scope.kind === 'school' ? [{ key: SchoolIdKey, value: input.scope.schoolId }] : []),
      ],
      memo: { requestedBy: input.requestedBy, scope: input.scope },
    });
    return workflowId;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    throw err;
  }
}

export interface InitialSyncView extends InitialSyncProgress {
  readonly workflowId: string;
  /** Still running (or paused): it can be paused, resumed or cancelled. */
  readonly open: boolean;
}

/** Its progress while it runs, its result once it ended; undefined when there has been none. */
export async function readInitialSync(client: Client, profileId: string, schoolYear: number): Promise<InitialSyncView | undefined> {
  const workflowId = initialSyncWorkflowId(profileId, schoolYear);
  const handle = client.workflow.getHandle<Workflows['initialSync']>(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  if (status === 'RUNNING') return { ...(await handle.query(initialSyncQuery)), workflowId, open: true };
  if (status === 'COMPLETED') return { ...(await handle.result()), workflowId, open: false };
  return {
    state: status === 'CANCELED' ? 'cancelled' : 'stopped',
    current: 0,
    steps: [],
    skipped: [],
    detail: `The run ended ${status.toLowerCase()}: its history in the Temporal UI says why.`,
    workflowId,
    open: false,
  };
}

/**
 * Sends to the running one; false when none is running. "Not found" from the send itself is that
 * answer too, not a server error: a run can end between a look at its status and the send (a
 * district with nothing to publish ends in moments — the fuzz suite met it as a 500).
 */
async function toRunning(client: Client, profileId: string, schoolYear: number, send: (handle: WorkflowHandle) => Promise<boolean>): Promise<boolean> {
  try {
    return await send(client.workflow.getHandle(initialSyncWorkflowId(profileId, schoolYear)));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Pauses (before the next category) or resumes; false when none is running. */
export async function pauseInitialSync(client: Client, profileId: string, schoolYear: number, pause: boolean): Promise<boolean> {
  return toRunning(client, profileId, schoolYear, async (handle) => {
    await handle.signal(pauseInitialSyncSignal, pause);
    return true;
  });
}

/** Cancels it (the category running finishes in the queue); false when none is running. */
export async function cancelInitialSync(client: Client, profileId: string, schoolYear: number): Promise<boolean> {
  // The server accepts a cancel request for a run that has ended: only its status says none is running.
  return toRunning(client, profileId, schoolYear, async (handle) => {
    if ((await handle.describe()).status.name !== 'RUNNING') return false;
    await handle.cancel();
    return true;
  });
}
