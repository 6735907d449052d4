/** A connection's set-up problem, as publishing meets it and a passing Test clears it. */
import type pg from 'pg';

/** Remembers the problem on the profile's enabled connection (the one publishing used). */
export async function recordSetupProblem(db: pg.Pool | pg.ClientBase, profileId: string, problem: string): Promise<void> {
  await db.query('UPDATE lea_connection SET setup_problem = $2, setup_problem_at = now() WHERE profile_id = $1 AND enabled', [profileId, problem]);
}
