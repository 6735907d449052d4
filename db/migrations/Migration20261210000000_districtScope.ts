import { Migration } from '@mikro-orm/migrations';

/**
 * Many districts on one deployment: a profile publishes for one district (LEA), and a user or API
 * key may be scoped to one district, seeing nothing of another. NULL keeps today's meaning: a
 * profile of the whole deployment, a user or key of every district (the deployment's IT).
 */
export class Migration20261210000000_districtScope extends Migration {
  override up(): void {
    // A removed profile keeps its catalog when its district goes; an in-use one stops the removal (the route says so).
    this.addSql('alter table "profile" add column "lea_id" varchar(64) null references "lea" ("id") on delete set null;');
    // A removed district's people go with it: set to NULL they would see every district.
    this.addSql('alter table "app_user" add column "lea_id" varchar(64) null references "lea" ("id") on delete cascade;');
    this.addSql('alter table "api_key" add column "lea_id" varchar(64) null references "lea" ("id") on delete cascade;');
    this.addSql('create index "profile_lea_id_index" on "profile" ("lea_id");');
  }

  override down(): void {
    this.addSql('alter table "api_key" drop column if exists "lea_id";');
    this.addSql('alter table "app_user" drop column if exists "lea_id";');
    this.addSql('alter table "profile" drop column if exists "lea_id";');
  }
}
