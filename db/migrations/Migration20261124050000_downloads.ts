import { Migration } from '@mikro-orm/migrations';

/** What downloads bring from the state's API, per profile and school year, and their progress. */
export class Migration20261124050000_downloads extends Migration {
  override up(): void {
    this.addSql(`
      create table "download_status" (
        "profile_id" varchar(64) not null,
        "school_year" smallint not null,
        "category" varchar(32) not null check ("category" in ('descriptors', 'organization-catalog', 'course-catalog')),
        "status" varchar(16) not null check ("status" in ('waiting', 'running', 'done', 'failed')),
        "downloaded" integer not null default 0,
        "message" text,
        "last_activity" timestamptz not null default now(),
        primary key ("profile_id", "school_year", "category")
      );`);
    this.addSql(`
      create table "downloaded_record" (
        "profile_id" varchar(64) not null,
        "school_year" smallint not null,
        "resource" varchar(100) not null,
        "natural_key" text not null,
        "edfi_id" varchar(64),
        "doc" jsonb not null,
        "run_id" varchar(200) not null,
        "gone" boolean not null default false,
        "updated_at" timestamptz not null default now(),
        primary key ("profile_id", "school_year", "resource", "natural_key")
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "downloaded_record";');
    this.addSql('drop table if exists "download_status";');
  }
}
