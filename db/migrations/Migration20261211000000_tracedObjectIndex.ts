import { Migration } from '@mikro-orm/migrations';

/**
 * The catalog rows of a traced SIS object, for resources with several records per object (a
 * section's records, one per term it meets in: `sectionID-termID`). Now – Changes looks up which
 * of an object's records left the SIS by the object; without this index that look-up scanned every
 * section of the district — 400–560 ms of each sections plan at 573,000 sections, 80 ms with it.
 * Partial: only these resources' rows pay its writes. resources/changes.test.ts checks that
 * every resource whose changes trace `beforeDash` is listed here.
 */
export const TRACED_BEFORE_DASH = ['sections', 'staffSectionAssociations', 'studentSectionAssociations'] as const;

export class Migration20261211000000_tracedObjectIndex extends Migration {
  override up(): void {
    this.addSql(
      `create index if not exists "catalog_traced_object_idx" on "catalog" ("profile_id", "school_year", "resource", split_part("source_key", '-', 1))
         where "resource" in (${TRACED_BEFORE_DASH.map((r) => `'${r}'`).join(', ')});`,
    );
  }

  override down(): void {
    this.addSql('drop index if exists "catalog_traced_object_idx";');
  }
}
