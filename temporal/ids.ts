/**
 * Where each workflow lives: one id scheme the API, the CLI, activities and workflows share, so a
 * support engineer can find any run in the Temporal UI from what the clerk clicked.
 */

/** The profile's publish queue (an entity workflow). */
export function publishQueueWorkflowId(profileId: string): string {
  return `publish-queue/${profileId}`;
}

/** One category publish, a child of the queue; `ticket` is its place in the queue's arrival order. */
export function categoryPublishWorkflowId(profileId: string, request: { readonly schoolYear: number; readonly category: string }, ticket: number): string {
  return `publish/${profileId}/${request.schoolYear}/${request.category}/${ticket}`;
}

/** A school year's downloads from the state's API. */
export function downloadWorkflowId(profileId: string, schoolYear: number): string {
  return `download/${profileId}/${schoolYear}`;
}

/** One record's Publish or Delete from its details. */
export function recordActionWorkflowId(i: {
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  readonly sourceKey: string;
}): string {
  return `record/${i.profileId}/${i.schoolYear}/${i.resource}/${i.sourceKey}`;
}

/** A category's resync with the ODS. */
export function resyncWorkflowId(i: { readonly profileId: string; readonly schoolYear: number; readonly category: string }): string {
  return `resync/${i.profileId}/${i.schoolYear}/${i.category}`;
}

/** The profile's one sweeper of records in dependency. */
export function dependencyRetriesWorkflowId(profileId: string): string {
  return `dependency-retries/${profileId}`;
}

/** The per-record dependency workflow of earlier versions (kept so runs already waiting finish). */
export function dependencyWorkflowId(profileId: string, schoolYear: number, resource: string, sourceKey: string): string {
  return `dependency/${profileId}/${schoolYear}/${resource}/${sourceKey}`;
}

/** A profile's initial synchronization of one school year (one at a time, whatever its scope). */
export function initialSyncWorkflowId(profileId: string, schoolYear: number): string {
  return `initial-sync/${profileId}/${schoolYear}`;
}

/** A profile's near-real-time Data Changes: one long-running workflow while Data Changes and Publish are on. */
export function dataChangesWorkflowId(profileId: string): string {
  return `data-changes/${profileId}`;
}
