import { Migration } from '@mikro-orm/migrations';

/**
 * The columns a record list shows besides the natural key (a student's name, district student
 * number, grade level — what each mapper declares in `listColumns`): staged with the extract and
 * kept on the catalog row, refreshed by every extract even when the record is not sent again.
 */
export class Migration20261204030000_recordDisplay extends Migration {
  override up(): void {
    this.addSql('alter table "catalog" add column "display" jsonb;');
    this.addSql('alter table "extract_stage" add column "display" jsonb;');
  }

  override down(): void {
    this.addSql('alter table "extract_stage" drop column if exists "display";');
    this.addSql('alter table "catalog" drop column if exists "display";');
  }
}
