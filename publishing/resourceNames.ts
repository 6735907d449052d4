/** A resource's forms: the Ed-Fi path (`ed-fi/calendars`) and the catalog's name for it (`calendars`). */

/** The catalog names a record by the dashboard's entity name (Appendix A): the resource path without its project. */
export function catalogName(resourcePath: string): string {
  return resourcePath.slice(resourcePath.indexOf('/') + 1);
}
