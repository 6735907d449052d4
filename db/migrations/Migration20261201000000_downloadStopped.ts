import { Migration } from '@mikro-orm/migrations';

/** A download category can end "stopped": an admin stopped it; what it had downloaded stays. */
export class Migration20261201000000_downloadStopped extends Migration {
  override up(): void {
    this.addSql(`alter table "download_status" drop constraint "download_status_status_check";`);
    this.addSql(
      `alter table "download_status" add constraint "download_status_status_check" check ("status" in ('waiting', 'running', 'done', 'failed', 'stopped'));`,
    );
  }

  override down(): void {
    this.addSql(`update "download_status" set "status" = 'failed' where "status" = 'stopped';`);
    this.addSql(`alter table "download_status" drop constraint "download_status_status_check";`);
    this.addSql(`alter table "download_status" add constraint "download_status_status_check" check ("status" in ('waiting', 'running', 'done', 'failed'));`);
  }
}
