import { Migration } from '@mikro-orm/migrations';

/**
 * What a Preview – Changes run found, per resource: the counts it would post, update, re-key and
 * delete, and a few records of each. Kept here, not in the run's history (the samples are student
 * data); the API shows them on the run.
 */
export class Migration20261206010000_publishPreview extends Migration {
  override up(): void {
    this.addSql(`
      create table "publish_preview" (
        "workflow_id" varchar(200) not null,
        "resource" varchar(100) not null,
        "profile_id" varchar(64) not null,
        "school_year" smallint not null,
        "created_at" timestamptz not null default now(),
        "counts" jsonb not null,
        "samples" jsonb not null,
        primary key ("workflow_id", "resource")
      );`);
    this.addSql('create index "publish_preview_created_idx" on "publish_preview" ("created_at");');
  }

  override down(): void {
    this.addSql('drop table if exists "publish_preview";');
  }
}
