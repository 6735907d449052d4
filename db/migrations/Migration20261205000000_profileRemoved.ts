import { Migration } from '@mikro-orm/migrations';

/**
 * Removing a profile (Configure) hides it and stops its automatic publishing but keeps its
 * catalog, mappings and history: what was published stays known, and Restore brings it back.
 */
export class Migration20261205000000_profileRemoved extends Migration {
  override up(): void {
    this.addSql('alter table "profile" add column "removed_at" timestamptz null;');
  }

  override down(): void {
    this.addSql('alter table "profile" drop column if exists "removed_at";');
  }
}
