/** Client side of the publish queue: how the API, the CLI and tests talk to `publish-queue/{profileId}`. */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import type { PublishRequest } from '../../publishing/publishRequest.js';
import { enqueueSignal, enqueueUpdate, publishQueue, publishQueueWorkflowId, queueQuery, type EnqueueResult, type QueueView } from '../../workflows/publishQueue.js';
import { ProfileIdKey } from '../../workflows/searchAttributes.js';

function startOptions(config: TemporalConfig, profileId: string) {
  return {
    workflowId: publishQueueWorkflowId(profileId),
    taskQueue: config.taskQueues.publishing,
    args: [{ profileId }] as [{ profileId: string }],
    typedSearchAttributes: [{ key: ProfileIdKey, value: profileId }],
  };
}

/** Queues a publish and answers with its position; starts the profile's queue if it is not running. */
export async function enqueuePublish(client: Client, config: TemporalConfig, profileId: string, request: PublishRequest): Promise<EnqueueResult> {
  const startWorkflowOperation = new WithStartWorkflowOperation(publishQueue, {
    ...startOptions(config, profileId),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(enqueueUpdate, { args: [request], startWorkflowOperation });
}

/** Fire-and-forget enqueue by signal (what schedules and simple API clients use). */
export async function signalPublish(client: Client, config: TemporalConfig, profileId: string, request: PublishRequest): Promise<void> {
  await client.workflow.signalWithStart(publishQueue, { ...startOptions(config, profileId), signal: enqueueSignal, signalArgs: [request] });
}

/** The queue as the dashboard shows it; undefined when the profile's queue has never run. */
export async function readQueue(client: Client, profileId: string): Promise<QueueView | undefined> {
  try {
    return await client.workflow.getHandle(publishQueueWorkflowId(profileId)).query(queueQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
