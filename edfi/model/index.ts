/**
 * The typed, versioned Ed-Fi model registry: `edfiModel({ dataStandard, teds })` gives every resource
 * the publisher writes and the sandbox serves, with identities, references, required fields, types,
 * collections, the Texas `_ext.TX` extension, the publish order and the ODS dependencies document.
 */
import { attendance } from './attendance.js';
import { buildModel } from './build.js';
import { calendar } from './calendar.js';
import { cohorts } from './cohorts.js';
import { courses } from './courses.js';
import { OPTIONAL_DESCRIPTORS, REQUIRED_DESCRIPTORS, edfiDescriptors } from './descriptors.js';
import { discipline } from './discipline.js';
import type { ResourceDef } from './dsl.js';
import { toDs5 } from './ds5.js';
import { edOrgs } from './edOrgs.js';
import { grades } from './grades.js';
import { programs } from './programs.js';
import { staff } from './staff.js';
import { students } from './students.js';
import { applyTeds, tedsSurface } from './texas.js';
import type { EdfiModel, ModelOptions, ReferenceField } from './types.js';

export type * from './types.js';
export { openApiFor, type JsonSchema, type OpenApiDocument, type OpenApiSection } from './openapi.js';
export { referencedResources } from './build.js';

/** The DS 4.0 definitions, in the reference doc's order. */
export function ds4Definitions(): ResourceDef[] {
  return [
    ...edOrgs,
    ...courses,
    ...programs,
    ...calendar,
    ...students,
    ...staff,
    ...cohorts,
    ...grades,
    ...discipline,
    ...attendance,
    ...edfiDescriptors([...REQUIRED_DESCRIPTORS, ...OPTIONAL_DESCRIPTORS]),
  ];
}

/** Definitions for an option set, before resolution (the tests read the Texas parse through it). */
export function definitionsFor(options: ModelOptions): ResourceDef[] {
  const core = options.dataStandard === '5.x' ? toDs5(ds4Definitions()) : ds4Definitions();
  return options.teds ? applyTeds(core, tedsSurface(options.teds)).defs : core;
}

const models = new Map<string, EdfiModel>();

/** The model for a Data Standard and optional TEDS version; built once per option set. */
export function edfiModel(options: ModelOptions): EdfiModel {
  const key = `${options.dataStandard}|${options.teds ?? ''}`;
  let model = models.get(key);
  if (!model) {
    model = buildModel({ dataStandard: options.dataStandard, ...(options.teds ? { teds: options.teds } : {}) }, definitionsFor(options));
    models.set(key, model);
  }
  return model;
}

/** Where a reference field's value sits in a given target (differs per target for abstract references). */
export function targetPathIn(field: ReferenceField, target: string): readonly string[] {
  return field.targetPaths?.[target] ?? field.targetPath;
}
