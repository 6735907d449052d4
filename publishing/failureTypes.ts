/** Failure types activities raise and workflows act on (ApplicationFailure.type), named once for both. */

/** A batch found its run's plan gone (an unlogged table emptied by a Postgres crash or failover). */
export const PLAN_LOST = 'PlanLost';
