/** Failure types activities raise and workflows act on (ApplicationFailure.type), named once for both. */

/** A batch found its run's plan gone (an unlogged table emptied by a Postgres crash or failover). */
export const PLAN_LOST = 'PlanLost';

/** The ODS refused for a reason of its set-up (another LEA's key, a claim set without the resource): no retry can fix it. */
export const SETUP_PROBLEM = 'SetupProblem';

/**
 * What a failed category says to the clerk: the reason at the root of the chain (an activity's
 * "Set-up problem, …", "school year … is not configured …"), not the wrappers around it ("Child
 * Workflow execution failed: Activity task failed").
 */
export function failureDetail(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const chain: Error[] = [err];
  for (let e = err.cause; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  const root = chain[chain.length - 1];
  return chain.length === 1 ? root.message : root.message !== '' ? root.message : chain.map((e) => e.message).join(': ');
}
