import { Migration } from '@mikro-orm/migrations';

/**
 * Adaptive connections (publishing/adaptiveConcurrency.ts): on, Simultaneous Connections is the
 * ceiling and the exchange finds how many requests the ODS takes well; off, it is a fixed number.
 */
export class Migration20261209000000_adaptiveConnections extends Migration {
  override up(): void {
    this.addSql('alter table "basic_settings" add column "adaptive_connections" boolean not null default true;');
  }

  override down(): void {
    this.addSql('alter table "basic_settings" drop column if exists "adaptive_connections";');
  }
}
