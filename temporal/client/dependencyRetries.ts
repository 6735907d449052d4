/** Client side of records in dependency: waking the profile's sweeper, and the per-record workflows of earlier versions. */
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { blockerPublishedSignal, wakeDependencyRetriesSignal, type Workflows } from '../contract.js';
import { dependencyRetriesWorkflowId, dependencyWorkflowId } from '../ids.js';
import { ProfileIdKey } from '../searchAttributes.js';

/** Wakes the profile's dependency sweeper, starting it when it is not running. */
export async function wakeDependencyRetries(client: Client, config: TemporalConfig, profileId: string): Promise<void> {
  await client.workflow.signalWithStart<Workflows['dependencyRetries'], []>('dependencyRetries', {
    workflowId: dependencyRetriesWorkflowId(profileId),
    taskQueue: config.taskQueues.dependencyRetries,
    args: [{ profileId }],
    signal: wakeDependencyRetriesSignal,
    signalArgs: [],
    typedSearchAttributes: [{ key: ProfileIdKey, value: profileId }],
  });
}

/** Tells an earlier version's per-record workflow that what it waits for published; one that has ended meanwhile has nothing to wake. */
export async function wakeLegacyDependency(
  client: Client,
  record: { profileId: string; schoolYear: number; resource: string; sourceKey: string },
): Promise<void> {
  await client.workflow
    .getHandle(dependencyWorkflowId(record.profileId, record.schoolYear, record.resource, record.sourceKey))
    .signal(blockerPublishedSignal)
    .catch(() => undefined);
}
