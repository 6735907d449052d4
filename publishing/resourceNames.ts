/**
 * A resource's forms, converted in one place: the Ed-Fi path (`ed-fi/calendars`, `tx/budgetExts`),
 * and the catalog's (and dashboard's) name for it (`calendars`, Appendix A's entity name: the path
 * without its project). The Ed-Fi entity name (`Calendar`) is the model's, read from it.
 */
import type { EdfiModel } from '../edfi/model/types.js';

/** The catalog name of a resource path. */
export function catalogName(resourcePath: string): string {
  return resourcePath.slice(resourcePath.indexOf('/') + 1);
}

/** The path of a catalog name in this profile's model: the core resource, or the Texas extension's; undefined when the model has neither. */
export function resourcePathIn(model: EdfiModel, name: string): string | undefined {
  return [`ed-fi/${name}`, `tx/${name}`].find((p) => model.resource(p) !== undefined);
}
