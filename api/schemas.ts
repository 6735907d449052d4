/** Schemas every route shares. */
import { z } from 'zod';

/** The body of every refusal: what went wrong, and the field to fix when there is one. */
export const problem = z.object({ error: z.string(), message: z.string(), field: z.string().optional() });

/** A publish's scope: the district, or one school (the dashboard's context). */
export const publishScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('district') }),
  z.object({ kind: z.literal('school'), schoolId: z.string().min(1).max(20) }),
]);

/** A workflow's page in the Temporal web UI, when its URL is known: `{ temporalUrl }` to spread into an answer. */
export function temporalLinkOf(ui: string | undefined, namespace: string): (workflowId: string) => { temporalUrl?: string } {
  return (workflowId) =>
    ui === undefined ? {} : { temporalUrl: `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}` };
}
