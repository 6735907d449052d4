/**
 * A category run's work rows (stage, plan, change scope) are keyed by the resource run's id,
 * `{workflowId}/{Temporal run id}:{resource}` (workflows/categoryPublish.ts): the workflow execution
 * they belong to can be read back from it, and asked whether it still runs.
 */

/** The workflow execution a resource run's id names, or undefined for an id of another shape. */
export function executionOf(workRunId: string): { readonly workflowId: string; readonly runId: string } | undefined {
  const m = /^(.+)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):.+$/.exec(workRunId);
  return m === null ? undefined : { workflowId: m[1], runId: m[2] };
}
