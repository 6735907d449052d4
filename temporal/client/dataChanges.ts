/** Client side of `data-changes/{profileId}`: running exactly while the profile's Data Changes and Publish are on; its state for the dashboard. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { dataChangesWorkflowId } from '../ids.js';
import { ProfileIdKey, TriggerKey } from '../searchAttributes.js';
import { dataChangesQuery, type DataChangesView, type Workflows } from '../contract.js';

/** Starts it when the profile wants it and it is not running; cancels it when the profile no longer does. Answers whether it runs. */
export async function syncDataChanges(
  client: Client,
  config: TemporalConfig,
  profile: { readonly id: string; readonly enabled: boolean; readonly publishPublish: boolean; readonly publishDataChanges: boolean },
): Promise<boolean> {
  const workflowId = dataChangesWorkflowId(profile.id);
  const wanted = profile.enabled && profile.publishPublish && profile.publishDataChanges;
  const handle = client.workflow.getHandle(workflowId);
  let running = false;
  try {
    running = (await handle.describe()).status.name === 'RUNNING';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (!wanted) {
    if (running) await handle.cancel();
    return false;
  }
  if (!running)
    await client.workflow.start<Workflows['dataChanges']>('dataChanges', {
      workflowId,
      taskQueue: config.taskQueues.publishing,
      args: [{ profileId: profile.id }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: ProfileIdKey, value: profile.id },
        { key: TriggerKey, value: 'data-changes' },
      ],
    });
  return true;
}

/** Its state while it runs; undefined when it does not. */
export async function readDataChanges(client: Client, profileId: string): Promise<DataChangesView | undefined> {
  const handle = client.workflow.getHandle(dataChangesWorkflowId(profileId));
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
    return await handle.query(dataChangesQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
