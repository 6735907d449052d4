import { Migration } from '@mikro-orm/migrations';

/**
 * What the publishing engine needs beyond the plan: the staged JSON with its references and any
 * computed dependency or error (so a run sends what it extracted, once), the blocker a dependency
 * waits for (so its publishing wakes the dependents), natural-key lookups for reference checks,
 * and per-profile resource preferences (the seed's toggles and choices).
 */
export class Migration20261124070000_publishing extends Migration {
  override up(): void {
    this.addSql(`alter table "extract_stage" add column "doc" jsonb, add column "refs" jsonb, add column "dependency" text, add column "error" text;`);
    this.addSql(`alter table "catalog" add column "depends_on" text;`);
    this.addSql(`create index "catalog_natural_key_idx" on "catalog" ("profile_id", "school_year", "resource", "natural_key");`);
    this.addSql(`create index "catalog_depends_on_idx" on "catalog" ("profile_id", "school_year", "depends_on") where "depends_on" is not null;`);
    this.addSql(`
      create table "resource_preference" (
        "profile_id" varchar(64) not null,
        "resource" varchar(100) not null,
        "enabled" boolean not null default true,
        "report_grade_levels" boolean not null default false,
        "updated_at" timestamptz not null default now(),
        primary key ("profile_id", "resource")
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "resource_preference";');
    this.addSql('drop index if exists "catalog_depends_on_idx";');
    this.addSql('drop index if exists "catalog_natural_key_idx";');
    this.addSql('alter table "catalog" drop column if exists "depends_on";');
    this.addSql(
      'alter table "extract_stage" drop column if exists "doc", drop column if exists "refs", drop column if exists "dependency", drop column if exists "error";',
    );
  }
}
