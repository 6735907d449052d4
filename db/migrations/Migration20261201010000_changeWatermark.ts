import { Migration } from '@mikro-orm/migrations';

/**
 * Now – Changes from the SIS event queue. `change_watermark`: per profile, year and resource, the
 * last SIS event a complete run covered and the configuration it was extracted under; a run's
 * candidate waits in the `pending_*` columns until the run ends well. `change_scope`: the SIS
 * objects one run's events touched (a work table like `extract_stage`).
 */
export class Migration20261201010000_changeWatermark extends Migration {
  override up(): void {
    this.addSql(`
      create table "change_watermark" (
        "profile_id" varchar(64) not null,
        "school_year" integer not null,
        "resource" varchar(100) not null,
        "event_id" bigint,
        "fingerprint" varchar(64),
        "pending_run_id" varchar(200),
        "pending_event_id" bigint,
        "pending_fingerprint" varchar(64),
        "updated_at" timestamptz not null default now(),
        primary key ("profile_id", "school_year", "resource")
      );`);
    this.addSql(`create index "change_watermark_pending_idx" on "change_watermark" ("pending_run_id");`);
    this.addSql(`
      create unlogged table "change_scope" (
        "run_id" varchar(200) not null,
        "object_key" text not null,
        primary key ("run_id", "object_key")
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "change_scope";');
    this.addSql('drop table if exists "change_watermark";');
  }
}
