/** Names the dependency-retry workflow is reached by, shared by the workflow and the activities that start and wake it. */
import { defineSignal } from '@temporalio/workflow';

export const DEPENDENCY_RETRY_WORKFLOW = 'dependencyRetry';

/** A record this one waits for has published: try now instead of at the next timer. */
export const blockerPublishedSignal = defineSignal('blockerPublished');

export function dependencyWorkflowId(profileId: string, schoolYear: number, resource: string, sourceKey: string): string {
  return `dependency/${profileId}/${schoolYear}/${resource}/${sourceKey}`;
}
