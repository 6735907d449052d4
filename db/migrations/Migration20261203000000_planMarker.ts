import { Migration } from '@mikro-orm/migrations';

/**
 * `plan_marker`: a logged record of each planned resource run and its batch count. The plan and
 * the stage stay unlogged (fast, rebuilt from the SIS), but a Postgres crash or a failover empties
 * them; the marker survives, so a batch that finds its plan gone knows it was lost rather than
 * "nothing to send" — and the run plans again instead of completing on nothing.
 */
export class Migration20261203000000_planMarker extends Migration {
  override up(): void {
    this.addSql(`
      create table "plan_marker" (
        "run_id" varchar(200) primary key,
        "batches" integer not null,
        "created_at" timestamptz not null default now()
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "plan_marker";');
  }
}
