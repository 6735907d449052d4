import { Migration } from '@mikro-orm/migrations';

/** Who may use the API: people (web sessions) and API clients (keys); secrets stored as hashes only. */
export class Migration20261124020000_auth extends Migration {
  override up(): void {
    this.addSql(`
      create table "app_user" (
        "id" varchar(64) primary key,
        "username" varchar(100) not null unique,
        "password_hash" text not null,
        "role" varchar(16) not null check ("role" in ('clerk', 'admin')),
        "vendor" varchar(8) check ("vendor" in ('SIS', 'HR')),
        "created_at" timestamptz not null default now()
      );`);
    this.addSql(`
      create table "api_key" (
        "id" varchar(16) primary key,
        "name" varchar(100) not null,
        "key_hash" varchar(64) not null,
        "role" varchar(16) not null check ("role" in ('clerk', 'admin')),
        "vendor" varchar(8) check ("vendor" in ('SIS', 'HR')),
        "created_at" timestamptz not null default now(),
        "last_used_at" timestamptz,
        "revoked_at" timestamptz
      );`);
    this.addSql(`
      create table "web_session" (
        "id" varchar(64) primary key,
        "user_id" varchar(64) not null references "app_user" ("id") on delete cascade,
        "csrf_token" varchar(64) not null,
        "expires_at" timestamptz not null,
        "created_at" timestamptz not null default now()
      );`);
    this.addSql(`create index "web_session_expires_idx" on "web_session" ("expires_at");`);
  }

  override down(): void {
    this.addSql('drop table if exists "web_session";');
    this.addSql('drop table if exists "api_key";');
    this.addSql('drop table if exists "app_user";');
  }
}
