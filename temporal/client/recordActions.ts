/** Client side of a record's Publish or Delete and of a category's resync. */
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import type { RecordActionInput, ResyncInput, Workflows } from '../contract.js';
import { recordActionWorkflowId, resyncWorkflowId } from '../ids.js';
import { ProfileIdKey, SchoolYearKey } from '../searchAttributes.js';

const searchAttributes = (i: { profileId: string; schoolYear: number }) => [
  { key: ProfileIdKey, value: i.profileId },
  { key: SchoolYearKey, value: i.schoolYear },
];

/** Runs the action and answers its outcome; throws WorkflowExecutionAlreadyStartedError while one on the record runs, WorkflowFailedError when it fails. */
export async function runRecordAction(client: Client, config: TemporalConfig, input: RecordActionInput): Promise<{ workflowId: string; outcome: string }> {
  const workflowId = recordActionWorkflowId(input);
  const outcome = await client.workflow.execute<Workflows['recordAction']>('recordAction', {
    workflowId,
    taskQueue: config.taskQueues.publishing,
    args: [input],
    typedSearchAttributes: searchAttributes(input),
  });
  return { workflowId, outcome };
}

/** Starts the resync and answers its workflow id; throws WorkflowExecutionAlreadyStartedError while one of the category runs. */
export async function startResync(client: Client, config: TemporalConfig, input: ResyncInput): Promise<string> {
  const workflowId = resyncWorkflowId(input);
  await client.workflow.start<Workflows['resync']>('resync', {
    workflowId,
    taskQueue: config.taskQueues.publishing,
    args: [input],
    typedSearchAttributes: searchAttributes(input),
  });
  return workflowId;
}
