import { Migration } from '@mikro-orm/migrations';

/**
 * The guide's record details show when a record was created, last updated and last published.
 * `created_at` of rows that existed before is the migration's time (a constant default: no table
 * rewrite); `last_published_at` starts empty and reads as the first publish until the next one.
 */
export class Migration20261205010000_recordDates extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" add column "created_at" timestamptz not null default now(), add column "last_published_at" timestamptz;');
  }

  override down(): void {
    this.addSql('alter table "catalog" drop column if exists "created_at", drop column if exists "last_published_at";');
  }
}
