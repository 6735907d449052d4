import { Migration } from '@mikro-orm/migrations';

/**
 * The clerk's code-set mappings, per profile (not per year: they carry to the next year). A row
 * with no namespace is a decision to publish the code as a local descriptor, so pre-mapping does
 * not bring back a mapping the clerk removed.
 */
export class Migration20261124060000_codeMappings extends Migration {
  override up(): void {
    this.addSql(`
      create table "code_mapping" (
        "profile_id" varchar(64) not null,
        "code_set" varchar(64) not null,
        "school_id" integer not null default 0,
        "local_code" varchar(100) not null,
        "namespace" varchar(255),
        "code_value" varchar(50),
        "auto" boolean not null default false,
        "updated_by" varchar(100) not null,
        "updated_at" timestamptz not null default now(),
        primary key ("profile_id", "code_set", "school_id", "local_code"),
        check (("namespace" is null) = ("code_value" is null))
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "code_mapping";');
  }
}
