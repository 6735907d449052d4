import { Migration } from '@mikro-orm/migrations';

/**
 * Dashboard counts kept up to date as the catalog changes, so the dashboard reads a few hundred
 * rows instead of counting millions: statement-level triggers with transition tables add and
 * subtract whole batches at once.
 */
export class Migration20261124040000_catalogCounts extends Migration {
  override up(): void {
    this.addSql(`
      create table "catalog_counts" (
        "profile_id" varchar(64) not null,
        "school_year" smallint not null,
        "resource" varchar(100) not null,
        "school_id" varchar(20) not null,
        "status" varchar(16) not null,
        "n" bigint not null,
        "last" timestamptz,
        primary key ("profile_id", "school_year", "resource", "school_id", "status")
      );`);
    this.addSql(`
      create function "catalog_counts_apply"() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          insert into catalog_counts as c (profile_id, school_year, resource, school_id, status, n, last)
          select profile_id, school_year, resource, coalesce(school_id, ''), status, -count(*), null
            from old_rows group by 1, 2, 3, 4, 5
          on conflict (profile_id, school_year, resource, school_id, status) do update set n = c.n + excluded.n;
        end if;
        if tg_op in ('UPDATE', 'INSERT') then
          insert into catalog_counts as c (profile_id, school_year, resource, school_id, status, n, last)
          select profile_id, school_year, resource, coalesce(school_id, ''), status, count(*), max(updated_at)
            from new_rows group by 1, 2, 3, 4, 5
          on conflict (profile_id, school_year, resource, school_id, status) do update set n = c.n + excluded.n, last = greatest(c.last, excluded.last);
        end if;
        return null;
      end $$;`);
    this.addSql(
      `create trigger "catalog_counts_insert" after insert on "catalog" referencing new table as new_rows for each statement execute function "catalog_counts_apply"();`,
    );
    this.addSql(
      `create trigger "catalog_counts_update" after update on "catalog" referencing old table as old_rows new table as new_rows for each statement execute function "catalog_counts_apply"();`,
    );
    this.addSql(
      `create trigger "catalog_counts_delete" after delete on "catalog" referencing old table as old_rows for each statement execute function "catalog_counts_apply"();`,
    );
    this.addSql(`
      insert into "catalog_counts" (profile_id, school_year, resource, school_id, status, n, last)
      select profile_id, school_year, resource, coalesce(school_id, ''), status, count(*), max(updated_at) from "catalog" group by 1, 2, 3, 4, 5;`);
    // Record lists sorted by last activity, the guide's default view.
    this.addSql(`create index "catalog_activity_idx" on "catalog" ("profile_id", "school_year", "resource", "updated_at", "source_key");`);
  }

  override down(): void {
    this.addSql('drop index if exists "catalog_activity_idx";');
    this.addSql('drop trigger if exists "catalog_counts_insert" on "catalog";');
    this.addSql('drop trigger if exists "catalog_counts_update" on "catalog";');
    this.addSql('drop trigger if exists "catalog_counts_delete" on "catalog";');
    this.addSql('drop function if exists "catalog_counts_apply"();');
    this.addSql('drop table if exists "catalog_counts";');
  }
}
