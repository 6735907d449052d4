import { Migration } from '@mikro-orm/migrations';

/**
 * Now – Last 14 Days traces its window's changes from the SIS event queue, from a watermark of its
 * own (the resource's row suffixed `@recent`): `window_since` is the first day of the window that
 * mark covers (null: the whole resource, left by Now – Changes or Now – All). A window starting
 * earlier than that has days no run compared, so it is read whole.
 */
export class Migration20261211000000_windowWatermark extends Migration {
  override up(): void {
    this.addSql('alter table "change_watermark" add column "window_since" date, add column "pending_window_since" date;');
  }

  override down(): void {
    this.addSql('alter table "change_watermark" drop column if exists "window_since", drop column if exists "pending_window_since";');
  }
}
