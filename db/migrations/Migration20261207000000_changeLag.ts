import { Migration } from '@mikro-orm/migrations';

/**
 * When the oldest SIS change a run took in was committed: once the run ends well (its changes are in
 * the ODS) the worker reports the time from that commit to now, the Data Changes lag a district
 * alerts on. Only a run that traced its changes from the event queue knows it.
 */
export class Migration20261207000000_changeLag extends Migration {
  override up(): void {
    this.addSql('alter table "change_watermark" add column "pending_oldest_change_at" timestamptz;');
  }

  override down(): void {
    this.addSql('alter table "change_watermark" drop column if exists "pending_oldest_change_at";');
  }
}
