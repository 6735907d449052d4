import { Migration } from '@mikro-orm/migrations';

/**
 * Records the dependency sweeper found ready and handed to a Now – Dependencies run (its bulk wake):
 * that run reads these by key, not every record waiting. Any outcome written for the record clears it.
 */
export class Migration20261208000000_retryQueued extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" add column "retry_queued_at" timestamptz;');
  }

  override down(): void {
    this.addSql('alter table "catalog" drop column if exists "retry_queued_at";');
  }
}
