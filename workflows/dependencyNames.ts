/** Names the dependency-retry workflows are reached by, shared by the workflows and the activities that start and wake them. */
import { defineSignal } from '@temporalio/workflow';

export const DEPENDENCY_RETRY_WORKFLOW = 'dependencyRetry';

/** A record this one waits for has published: try now instead of at the next timer. */
export const blockerPublishedSignal = defineSignal('blockerPublished');

/** The profile's one sweeper of records in dependency (`dependencyRetries`). */
export const DEPENDENCY_RETRIES_WORKFLOW = 'dependencyRetries';

/** Something came due early (a blocker published) or joined the timetable: look again now. */
export const wakeDependencyRetriesSignal = defineSignal('wake');

export function dependencyRetriesWorkflowId(profileId: string): string {
  return `dependency-retries/${profileId}`;
}

/** The per-record workflow of earlier versions (kept so runs already waiting finish). */
export function dependencyWorkflowId(profileId: string, schoolYear: number, resource: string, sourceKey: string): string {
  return `dependency/${profileId}/${schoolYear}/${resource}/${sourceKey}`;
}
