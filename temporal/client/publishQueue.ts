/** Client side of the publish queue: how the API, the CLI and tests talk to `publish-queue/{profileId}`. */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import type { PublishRequest } from '../../publishing/publishRequest.js';
import { publishQueueWorkflowId } from '../ids.js';
import { ProfileIdKey } from '../searchAttributes.js';
import {
  categoryProgressQuery,
  dismissUpdate,
  type Dismissed,
  enqueueSignal,
  enqueueUpdate,
  queueQuery,
  setProcessingSignal,
  type EnqueueResult,
  type PublishQueueInput,
  type QueueView,
  type Workflows,
} from '../contract.js';
import type { CategoryProgress } from '../../publishing/progress.js';

/** `paused`: system processing is off (Diagnostics), so a queue started now starts holding. */
function startOptions(config: TemporalConfig, profileId: string, paused: boolean) {
  return {
    workflowId: publishQueueWorkflowId(profileId),
    taskQueue: config.taskQueues.publishing,
    args: [{ profileId, paused }] as [PublishQueueInput],
    typedSearchAttributes: [{ key: ProfileIdKey, value: profileId }],
  };
}

/** Queues a publish and answers with its position; starts the profile's queue if it is not running. */
export async function enqueuePublish(
  client: Client,
  config: TemporalConfig,
  profileId: string,
  request: PublishRequest,
  opts: { paused?: boolean } = {},
): Promise<EnqueueResult> {
  const startWorkflowOperation = new WithStartWorkflowOperation<Workflows['publishQueue']>('publishQueue', {
    ...startOptions(config, profileId, opts.paused ?? false),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(enqueueUpdate, { args: [request], startWorkflowOperation });
}

/** Fire-and-forget enqueue by signal (what schedules and simple API clients use). */
export async function signalPublish(
  client: Client,
  config: TemporalConfig,
  profileId: string,
  request: PublishRequest,
  opts: { paused?: boolean } = {},
): Promise<void> {
  await client.workflow.signalWithStart<Workflows['publishQueue'], [PublishRequest]>('publishQueue', {
    ...startOptions(config, profileId, opts.paused ?? false),
    signal: enqueueSignal,
    signalArgs: [request],
  });
}

/** Tells a profile's queue to hold or go on; false when the profile has no queue running (nothing to tell). */
export async function setQueueProcessing(client: Client, profileId: string, enabled: boolean): Promise<boolean> {
  try {
    await client.workflow.getHandle(publishQueueWorkflowId(profileId)).signal(setProcessingSignal, enabled);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
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

/** The running category's progress (its `progress` query); undefined before its run started or when it cannot answer. */
export async function runningProgress(
  client: Client,
  running: { readonly workflowId: string; readonly childStarted: boolean } | undefined,
): Promise<CategoryProgress | undefined> {
  if (running?.childStarted !== true) return undefined;
  return client.workflow
    .getHandle(running.workflowId)
    .query(categoryProgressQuery)
    .catch(() => undefined);
}

/** Takes a waiting publish off the queue or dismisses a failed entry; the queue's refusal (why not) is thrown. */
export async function dismissQueueEntry(client: Client, profileId: string, ticket: number): Promise<Dismissed> {
  return client.workflow.getHandle(publishQueueWorkflowId(profileId)).executeUpdate(dismissUpdate, { args: [ticket] });
}
