import { Migration } from '@mikro-orm/migrations';

/**
 * Each district's own SIS and HR replica on a deployment of many districts (db/replicas.ts). Sealed
 * like the state's secrets: the URL holds the replica's password.
 */
export class Migration20261210010000_districtReplicas extends Migration {
  override up(): void {
    this.addSql('alter table "lea" add column "sis_replica_sealed" text null, add column "hr_replica_sealed" text null;');
  }

  override down(): void {
    this.addSql('alter table "lea" drop column if exists "sis_replica_sealed", drop column if exists "hr_replica_sealed";');
  }
}
