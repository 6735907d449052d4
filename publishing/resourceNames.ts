/**
 * A resource's forms, converted in one place: the Ed-Fi path (`ed-fi/calendars`, `tx/budgetExts`),
 * and the catalog's (and dashboard's) name for it (`calendars`, Appendix A's entity name: the path
 * without its project). The Ed-Fi entity name (`Calendar`) is the model's, read from it.
 */
import type { EdfiModel } from '../edfi/model/types.js';

/**
 * Data Standard 5 renamed two of Appendix A's resources (parents → contacts), and TEDS 2025.2.1
 * renamed Account Actuals (actualExts → priorYearActualExts): the catalog and the dashboard keep
 * Appendix A's name, so a profile's records stay under one name whatever its standard or version.
 */
const APPENDIX_A_NAME: Readonly<Record<string, string>> = {
  contacts: 'parents',
  studentContactAssociations: 'studentParentAssociations',
  priorYearActualExts: 'actualExts',
};
const DS5_NAME: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(APPENDIX_A_NAME).map(([ds5, a]) => [a, ds5]));

/** The catalog name of a resource path. */
export function catalogName(resourcePath: string): string {
  const name = resourcePath.slice(resourcePath.indexOf('/') + 1);
  return APPENDIX_A_NAME[name] ?? name;
}

/** The path of a catalog name in this profile's model: the core resource, or the Texas extension's; undefined when the model has neither. */
export function resourcePathIn(model: EdfiModel, name: string): string | undefined {
  const renamed = DS5_NAME[name];
  return [`ed-fi/${name}`, `tx/${name}`, ...(renamed !== undefined ? [`ed-fi/${renamed}`, `tx/${renamed}`] : [])].find((p) => model.resource(p) !== undefined);
}
