/**
 * A small builder language for the Ed-Fi resource definitions, so each resource reads like the
 * reference doc (edfi-ds4-resources.md): a name ending in `*` is part of the identity, `!` is
 * required, anything else optional. References and descriptors are named without their suffix:
 * `r('school*')` is `schoolReference` → `ed-fi/schools`, `d('entryGradeLevel!', 'gradeLevel')` is
 * `entryGradeLevelDescriptor` taking `ed-fi/gradeLevelDescriptors` values.
 *
 * Definitions are unresolved: a reference names only its target. Its fields (the target's identity,
 * flattened) are derived when the model is built, so a change to a target's identity — DS 5.x
 * gradingPeriods — flows into every reference to it.
 */
import type { MustMatch, Project, ScalarType } from './types.js';

/** Target of an abstract `educationOrganizationReference`: any modelled education organization. */
export const EDORG = '*EducationOrganization';

interface DefBase {
  readonly name: string;
  readonly identity: boolean;
  readonly required: boolean;
}
export interface ScalarDef extends DefBase {
  readonly kind: 'scalar';
  readonly type: ScalarType;
}
export interface DescriptorDef extends DefBase {
  readonly kind: 'descriptor';
  readonly descriptor: string;
}
export interface ReferenceDef extends DefBase {
  readonly kind: 'reference';
  /** One resource path, or EDORG. */
  readonly target: string;
  /** Fields a source document lists for the reference (Texas surface files); checked by the tests, not used. */
  readonly declaredFields?: readonly string[];
}
export interface CollectionDef extends DefBase {
  readonly kind: 'collection';
  readonly item: ShapeDef;
}
export interface ObjectDef extends DefBase {
  readonly kind: 'object';
  readonly shape: ShapeDef;
}
export type PropDef = ScalarDef | DescriptorDef | ReferenceDef | CollectionDef | ObjectDef;

export interface ShapeDef {
  readonly properties: readonly PropDef[];
  readonly extension?: ShapeDef;
}

export interface ResourceDef {
  readonly project: Project;
  readonly name: string;
  readonly entity: string;
  readonly isDescriptor: boolean;
  readonly properties: readonly PropDef[];
  readonly mustMatch: readonly MustMatch[];
  readonly allowsIdentityUpdate: boolean;
  readonly extension?: ShapeDef;
  readonly person?: 'student' | 'staff' | 'contact';
}

// ---- scalar types ----

export const date: ScalarType = { kind: 'date' };
export const time: ScalarType = { kind: 'time' };
export const datetime: ScalarType = { kind: 'datetime' };
export const bool: ScalarType = { kind: 'boolean' };
export const str = (maxLength: number): ScalarType => ({ kind: 'string', maxLength });
export function int(min?: number, max?: number): ScalarType {
  return { kind: 'integer', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}
export function dec(precision: number, scale: number, min?: number, max?: number): ScalarType {
  return { kind: 'number', precision, scale, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}
/** SQL Server MONEY, which the ODS exposes as a decimal. */
export const money = dec(19, 4);

// ---- naming ----

/** ODS camelCase: a leading acronym is lowered as a block (`CTEProgram` → `cteProgram`, `IEPBeginDate` → `iepBeginDate`). */
export function camel(name: string): string {
  const run = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (run.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1);
  // The last capital of a run followed by a lower-case letter starts the next word.
  const cut = run.length < name.length && /[a-z]/.test(name.charAt(run.length)) ? run.length - 1 : run.length;
  return name.slice(0, cut).toLowerCase() + name.slice(cut);
}

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function plural(name: string): string {
  return /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`;
}

// ---- property builders ----

function spec(s: string): DefBase {
  if (s.endsWith('*')) return { name: s.slice(0, -1), identity: true, required: true };
  if (s.endsWith('!')) return { name: s.slice(0, -1), identity: false, required: true };
  return { name: s, identity: false, required: false };
}

function named(specName: string, suffix: string): DefBase {
  const b = spec(specName);
  return { ...b, name: b.name + suffix };
}

/** A scalar: `s('courseTitle!', str(60))`. */
export function s(specName: string, type: ScalarType): ScalarDef {
  return { kind: 'scalar', ...spec(specName), type };
}

/**
 * A descriptor: `d('sex!')` → `sexDescriptor` of `ed-fi/sexDescriptors`; a role-named one gives its
 * base: `d('birthSex', 'sex')`. A base containing `/` is a full path (`tx/…Descriptors`).
 */
export function d(specName: string, base?: string): DescriptorDef {
  const b = named(specName, 'Descriptor');
  const root = base ?? b.name.slice(0, -'Descriptor'.length);
  return { kind: 'descriptor', ...b, descriptor: root.includes('/') ? root : `ed-fi/${root}Descriptors` };
}

/**
 * A reference: `r('school*')` → `schoolReference` to `ed-fi/schools`; a role-named or abstract one
 * names its target: `r('classOfSchoolYearType', 'schoolYearTypes')`, `r('educationOrganization*', EDORG)`.
 */
export function r(specName: string, target?: string): ReferenceDef {
  const b = named(specName, 'Reference');
  const t = target ?? plural(b.name.slice(0, -'Reference'.length));
  return { kind: 'reference', ...b, target: t === EDORG || t.includes('/') ? t : `ed-fi/${t}` };
}

/** A collection of items: `c('gradeLevels!', d('gradeLevel*'))`; required means at least one item. */
export function c(specName: string, ...item: readonly PropDef[]): CollectionDef {
  return { kind: 'collection', ...spec(specName), item: { properties: item } };
}

/** A 1:1 embedded object: `o('classRanking', s('classRank!', int()), …)`. */
export function o(specName: string, ...props: readonly PropDef[]): ObjectDef {
  return { kind: 'object', ...spec(specName), shape: { properties: props } };
}

// ---- resources ----

export interface ResourceOptions {
  /** Key unification, as `'calendarReference.schoolId = schoolReference.schoolId'`. */
  readonly match?: readonly string[];
  readonly identityUpdate?: boolean;
  readonly person?: 'student' | 'staff' | 'contact';
  readonly project?: Project;
  /** Endpoint name when it is not the camel-cased plural of the entity. */
  readonly name?: string;
}

export function mustMatch(text: string): MustMatch {
  const [left, right] = text.split('=').map((side) => side.trim().split('.'));
  if (!left || !right) throw new Error(`must-match needs "a.b = c.d": ${text}`);
  return { left, right };
}

/** A resource from its model entity name: `resource('CourseOffering', [...])` is `ed-fi/courseOfferings`. */
export function resource(entity: string, properties: readonly PropDef[], options: ResourceOptions = {}): ResourceDef {
  return {
    project: options.project ?? 'ed-fi',
    name: options.name ?? plural(camel(entity)),
    entity,
    isDescriptor: false,
    properties,
    mustMatch: (options.match ?? []).map(mustMatch),
    allowsIdentityUpdate: options.identityUpdate ?? false,
    ...(options.person ? { person: options.person } : {}),
  };
}

/** Every descriptor resource has the same body; the natural key is namespace + codeValue. */
const DESCRIPTOR_BODY: readonly PropDef[] = [
  s('namespace*', str(255)),
  s('codeValue*', str(50)),
  s('shortDescription!', str(75)),
  s('description', str(1024)),
  s('effectiveBeginDate', date),
  s('effectiveEndDate', date),
];

/** A descriptor resource from its endpoint name: `descriptor('ed-fi', 'gradeLevelDescriptors')`. */
export function descriptor(project: Project, name: string, entity?: string): ResourceDef {
  return {
    project,
    name,
    entity: entity ?? pascal(name.slice(0, -1)),
    isDescriptor: true,
    properties: DESCRIPTOR_BODY,
    mustMatch: [],
    allowsIdentityUpdate: false,
  };
}

export function pathOf(def: { readonly project: Project; readonly name: string }): string {
  return `${def.project}/${def.name}`;
}
