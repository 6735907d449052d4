import { Migration } from '@mikro-orm/migrations';

/**
 * When a record began waiting in dependency (kept while it stays there): the metrics report the
 * age of each profile's oldest waiting record, which `updated_at` (touched by every retry) cannot
 * tell. Rows waiting before this read as waiting since the migration.
 */
export class Migration20261206000000_dependencySince extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" add column "dependency_since" timestamptz;');
    this.addSql(`update "catalog" set "dependency_since" = now() where "status" = 'dependency';`);
    this.addSql(`create index "catalog_dependency_since_idx" on "catalog" ("profile_id", "dependency_since") where "status" = 'dependency';`);
  }

  override down(): void {
    this.addSql('drop index if exists "catalog_dependency_since_idx";');
    this.addSql('alter table "catalog" drop column if exists "dependency_since";');
  }
}
