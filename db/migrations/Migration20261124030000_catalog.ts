import { Migration } from '@mikro-orm/migrations';

/**
 * The publishing catalog (what has been sent, one row per profile, year, resource and source
 * record) and the two work tables the "Now – Changes" set operation uses: the extract stage and
 * the plan it produces, both keyed by the publish run.
 */
export class Migration20261124030000_catalog extends Migration {
  override up(): void {
    this.addSql(`
      create table "catalog" (
        "profile_id" varchar(64) not null,
        "school_year" smallint not null,
        "resource" varchar(100) not null,
        "source_key" text not null,
        "school_id" varchar(20),
        "natural_key" text not null,
        "payload_hash" char(32) not null,
        "sent_json" jsonb,
        "edfi_id" varchar(64),
        "status" varchar(16) not null check ("status" in ('pending', 'processing', 'published', 'dependency', 'error', 'deleted')),
        "status_description" text,
        "http_status" smallint,
        "attempts" integer not null default 0,
        "dependency_source" varchar(8) check ("dependency_source" in ('computed', 'api')),
        "first_published_at" timestamptz,
        "last_attempt_at" timestamptz,
        "updated_at" timestamptz not null default now(),
        primary key ("profile_id", "school_year", "resource", "source_key")
      );`);
    this.addSql(`create index "catalog_status_idx" on "catalog" ("profile_id", "school_year", "resource", "status");`);
    // Work tables: unlogged (rebuilt from the SIS if lost in a crash), rows deleted when the run ends.
    this.addSql(`
      create unlogged table "extract_stage" (
        "run_id" varchar(200) not null,
        "source_key" text not null,
        "school_id" varchar(20),
        "natural_key" text not null,
        "payload_hash" char(32) not null,
        primary key ("run_id", "source_key")
      );`);
    this.addSql(`
      create unlogged table "publish_plan" (
        "run_id" varchar(200) not null,
        "resource" varchar(100) not null,
        "batch_no" integer not null,
        "source_key" text not null,
        "action" varchar(16) not null check ("action" in ('post', 'delete', 'rekey', 'forget')),
        primary key ("run_id", "resource", "source_key")
      );`);
    this.addSql(`create index "publish_plan_batch_idx" on "publish_plan" ("run_id", "resource", "batch_no");`);
  }

  override down(): void {
    this.addSql('drop table if exists "publish_plan";');
    this.addSql('drop table if exists "extract_stage";');
    this.addSql('drop table if exists "catalog";');
  }
}
