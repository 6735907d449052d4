import { Migration } from '@mikro-orm/migrations';

/** The guide's Configuration page: basic settings, the rest of a profile, LEAs and their connections. */
export class Migration20261124010000_configuration extends Migration {
  override up(): void {
    this.addSql(`
      create table "basic_settings" (
        "id" smallint primary key default 1 check ("id" = 1),
        "enable_data_exchange" boolean not null default false,
        "logging_options" jsonb not null default '[]'::jsonb,
        "simultaneous_connections" integer not null default 200 check ("simultaneous_connections" between 20 and 500),
        "system_processing_enabled" boolean not null default true,
        "updated_at" timestamptz not null default now()
      );`);
    this.addSql(`insert into "basic_settings" ("id") values (1) on conflict do nothing;`);
    this.addSql(`
      alter table "profile"
        add column "sis_product" varchar(16) not null default 'PowerSchool' check ("sis_product" in ('PowerSchool', 'eSchoolPlus', 'Other')),
        add column "ods_api_version" varchar(8) not null default '7.x' check ("ods_api_version" in ('6.1', '7.x')),
        add column "data_standard" varchar(8) not null default '4.0' check ("data_standard" in ('4.0', '5.x')),
        add column "state_extension" varchar(16) not null default 'none' check ("state_extension" in ('none', 'TX-2024.2.1', 'TX-2025.2.1', 'TX-2026.2.1')),
        add column "api_url" varchar(500),
        add column "auth_url" varchar(500),
        add column "publish_data_changes" boolean not null default false,
        add column "publish_download" boolean not null default true,
        add column "publish_publish" boolean not null default true,
        add column "settings" jsonb not null default '{}'::jsonb;`);
    this.addSql(`
      create table "lea" (
        "id" varchar(64) primary key,
        "name" varchar(200) not null,
        "state_number" varchar(20) not null unique
      );`);
    this.addSql(`
      create table "lea_connection" (
        "lea_id" varchar(64) not null references "lea" ("id") on delete cascade,
        "profile_id" varchar(64) not null references "profile" ("id") on delete cascade,
        "key" varchar(200) not null,
        "secret_encrypted" text not null,
        "secret_fingerprint" varchar(64) not null,
        "last_test_at" timestamptz,
        "last_test_ok" boolean,
        "last_test_message" text,
        "tested_fingerprint" varchar(64),
        "enabled" boolean not null default false,
        "updated_at" timestamptz not null default now(),
        primary key ("lea_id", "profile_id"),
        -- Enabled only after a successful test of exactly these credentials (the guide's easy-to-overlook step).
        constraint "lea_connection_enabled_after_test" check (not "enabled" or ("last_test_ok" and "tested_fingerprint" = "secret_fingerprint"))
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "lea_connection";');
    this.addSql('drop table if exists "lea";');
    this.addSql('drop table if exists "basic_settings";');
    this.addSql(`alter table "profile" drop column "sis_product", drop column "ods_api_version", drop column "data_standard", drop column "state_extension",
      drop column "api_url", drop column "auth_url", drop column "publish_data_changes", drop column "publish_download", drop column "publish_publish", drop column "settings";`);
  }
}
