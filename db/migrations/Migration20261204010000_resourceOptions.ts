import { Migration } from '@mikro-orm/migrations';

/**
 * A resource's preferences beyond its toggle become a document its mapper declares (options by
 * key), instead of a column per option: calendars' "report grade levels" moves into it.
 */
export class Migration20261204010000_resourceOptions extends Migration {
  override up(): void {
    this.addSql(`alter table "resource_preference" add column "options" jsonb not null default '{}';`);
    this.addSql(`update "resource_preference" set "options" = jsonb_build_object('reportGradeLevels', true) where "report_grade_levels";`);
    this.addSql('alter table "resource_preference" drop column "report_grade_levels";');
  }

  override down(): void {
    this.addSql('alter table "resource_preference" add column "report_grade_levels" boolean not null default false;');
    this.addSql(`update "resource_preference" set "report_grade_levels" = coalesce(("options"->>'reportGradeLevels')::boolean, false);`);
    this.addSql('alter table "resource_preference" drop column "options";');
  }
}
