import { Migration } from '@mikro-orm/migrations';

/**
 * Dependency retries as rows, not workflows: when a record in dependency is next tried
 * (`retry_at`) and how often it was (`retry_attempts`), kept in the catalog row itself. One
 * workflow per profile sweeps the due ones; 300,000 waiting records cost 300,000 timestamps.
 */
export class Migration20261203020000_dependencyQueue extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" add column "retry_at" timestamptz, add column "retry_attempts" integer not null default 0;');
    this.addSql(`create index "catalog_retry_due_idx" on "catalog" ("profile_id", "retry_at") where "status" = 'dependency' and "retry_at" is not null;`);
  }

  override down(): void {
    this.addSql('drop index if exists "catalog_retry_due_idx";');
    this.addSql('alter table "catalog" drop column if exists "retry_at", drop column if exists "retry_attempts";');
  }
}
