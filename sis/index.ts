/** The SIS replica: schema, change capture, district generator and mutation days. */
export { applySisSchema, sisSchemaSql, EVENT_CHANNEL } from './schema.js';
export { readEvents, latestEventId, type SisEvent, type EventAction } from './events.js';
export {
  generateDistrict,
  parseDirtyProfiles,
  tableRows,
  SCHOOL_YEAR,
  DISTRICT_SIZES,
  DIRTY_PROFILES,
  DIRTY_PROFILE_NAMES,
  SIZE_SHAPES,
  type District,
  type DistrictSize,
  type DirtyProfile,
  type GenerateOptions,
  type PlannedChange,
  type TableData,
} from './generate.js';
export { loadDistrict, ensureDistrict, tablesWithRows, SisNotEmptyError, type LoadOptions, type LoadResult, type EnsureResult } from './load.js';
export { mutateDay, mutationDate, dailyVolumes, MutationRefused, type MutateOptions, type MutationSummary } from './mutate.js';
export { readLocalCodes, type SisLocalCode } from './localCodes.js';
export { TABLES, tableDef, schemaMarkdown, type TableDef, type ColumnDef } from './model.js';
export { hrReplicaOf, HR_TABLES } from './hrReplica.js';
