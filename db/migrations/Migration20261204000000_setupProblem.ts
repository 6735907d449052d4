import { Migration } from '@mikro-orm/migrations';

/**
 * A connection remembers the last set-up problem a publish met (the key serves another LEA, or its
 * claim set lacks a resource): the dashboard and the Configure page say what to fix until a Test
 * passes again.
 */
export class Migration20261204000000_setupProblem extends Migration {
  override up(): void {
    this.addSql('alter table "lea_connection" add column "setup_problem" text null, add column "setup_problem_at" timestamptz null;');
  }

  override down(): void {
    this.addSql('alter table "lea_connection" drop column "setup_problem", drop column "setup_problem_at";');
  }
}
