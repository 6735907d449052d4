import { Migration } from '@mikro-orm/migrations';

/**
 * Downloaded records are keyed by the model's natural key (the catalog's JSON form) instead of a
 * per-resource text: existing rows are re-keyed in place from their documents, so a re-download
 * updates them rather than adding a second copy and marking the first gone.
 */
export class Migration20261204020000_downloadNaturalKeys extends Migration {
  override up(): void {
    this
      .addSql(`update "downloaded_record" set "natural_key" = '{"namespace":' || to_json("doc"->>'namespace')::text || ',"codeValue":' || to_json("doc"->>'codeValue')::text || '}'
      where "resource" like '%Descriptors' and ("doc"->>'namespace') is not null and ("doc"->>'codeValue') is not null;`);
    this.addSql(
      `update "downloaded_record" set "natural_key" = '{"schoolId":' || ("doc"->>'schoolId') || '}' where "resource" = 'ed-fi/schools' and ("doc"->>'schoolId') is not null;`,
    );
    this.addSql(
      `update "downloaded_record" set "natural_key" = '{"localEducationAgencyId":' || ("doc"->>'localEducationAgencyId') || '}' where "resource" = 'ed-fi/localEducationAgencies' and ("doc"->>'localEducationAgencyId') is not null;`,
    );
    this
      .addSql(`update "downloaded_record" set "natural_key" = '{"courseCode":' || to_json("doc"->>'courseCode')::text || ',"educationOrganizationId":' || ("doc"#>>'{educationOrganizationReference,educationOrganizationId}') || '}'
      where "resource" = 'ed-fi/courses' and ("doc"->>'courseCode') is not null and "doc"#>>'{educationOrganizationReference,educationOrganizationId}' is not null;`);
  }

  override down(): void {
    this.addSql(
      `update "downloaded_record" set "natural_key" = ("doc"->>'namespace') || '#' || ("doc"->>'codeValue') where "resource" like '%Descriptors' and "natural_key" like '{%';`,
    );
    this.addSql(`update "downloaded_record" set "natural_key" = "doc"->>'schoolId' where "resource" = 'ed-fi/schools' and "natural_key" like '{%';`);
    this.addSql(
      `update "downloaded_record" set "natural_key" = "doc"->>'localEducationAgencyId' where "resource" = 'ed-fi/localEducationAgencies' and "natural_key" like '{%';`,
    );
    this.addSql(
      `update "downloaded_record" set "natural_key" = ("doc"#>>'{educationOrganizationReference,educationOrganizationId}') || '/' || ("doc"->>'courseCode') where "resource" = 'ed-fi/courses' and "natural_key" like '{%';`,
    );
  }
}
