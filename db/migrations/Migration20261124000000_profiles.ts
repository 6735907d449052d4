import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000000_profiles extends Migration {
  override up(): void {
    this.addSql(`
      create table if not exists "profile" (
        "id" varchar(64) primary key,
        "name" varchar(100) not null check (length(trim("name")) > 0),
        "enabled" boolean not null default true,
        "profile_type" varchar(16) not null check ("profile_type" in ('SIS', 'SIS+HR', 'HR-only', 'HR-from-SIS')),
        "school_years" jsonb not null default '[]'::jsonb,
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now()
      );`);
  }

  override down(): void {
    this.addSql('drop table if exists "profile";');
  }
}
