import { Migration } from '@mikro-orm/migrations';

/**
 * A record the profile's settings keep out of publishing (a student without a Unique ID under
 * ExcludeStudentsWithoutUniqueIDs) stays in the catalog as `excluded`, with the reason, instead of
 * vanishing from the lists: a clerk sees who is left out and why.
 */
export class Migration20261204040000_excludedStatus extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" drop constraint if exists "catalog_status_check";');
    this.addSql(
      `alter table "catalog" add constraint "catalog_status_check" check ("status" in ('pending', 'processing', 'published', 'dependency', 'error', 'deleted', 'excluded'));`,
    );
    this.addSql('alter table "extract_stage" add column "excluded" text;');
  }

  override down(): void {
    this.addSql('alter table "extract_stage" drop column if exists "excluded";');
    // Excluded records were never sent: the next extract finds them again.
    this.addSql(`delete from "catalog" where "status" = 'excluded';`);
    this.addSql('alter table "catalog" drop constraint if exists "catalog_status_check";');
    this.addSql(
      `alter table "catalog" add constraint "catalog_status_check" check ("status" in ('pending', 'processing', 'published', 'dependency', 'error', 'deleted'));`,
    );
  }
}
