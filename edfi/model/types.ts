/**
 * The shape of the Ed-Fi model registry: what every resource looks like on the API surface
 * (JSON names, identity, references, descriptors, required fields, types, collections, the Texas
 * `_ext.TX` extension). The publisher and the sandbox both read it, so adding a resource here
 * adds it to both. Facts: ../shared/reference/edfi-ds4-resources.md, texas-extension.md.
 */

export type DataStandard = '4.0' | '5.x';
export type TedsVersion = '2024.2.1' | '2025.2.1' | '2026.2.1';
/** `ed-fi` core resources, `tx` the Texas extension's own resources. */
export type Project = 'ed-fi' | 'tx';

export type ScalarType =
  | { readonly kind: 'string'; readonly maxLength?: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'time' }
  | { readonly kind: 'datetime' }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly precision?: number; readonly scale?: number; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' };

interface PropertyBase {
  /** JSON property name, as on the API. */
  readonly name: string;
  /** Part of the natural key (of the resource, or of a collection item). Identity implies required. */
  readonly identity: boolean;
  readonly required: boolean;
}

export interface ScalarProperty extends PropertyBase {
  readonly kind: 'scalar';
  readonly type: ScalarType;
}

export interface DescriptorProperty extends PropertyBase {
  readonly kind: 'descriptor';
  /** Resource path of the descriptor whose values it takes, e.g. `ed-fi/gradeLevelDescriptors`. */
  readonly descriptor: string;
}

/** One field inside a reference object and where it lands in the target's identity. */
export interface ReferenceField {
  /** Name inside the reference object, e.g. `graduationSchoolYear`. */
  readonly name: string;
  /** Path of the matching identity value in the target document, e.g. `['graduationSchoolYearTypeReference','schoolYear']`. */
  readonly targetPath: readonly string[];
  readonly type: ScalarType | { readonly kind: 'descriptor'; readonly descriptor: string };
  /**
   * Abstract targets name the value differently in each target (`educationOrganizationId` is `schoolId` on
   * schools, `localEducationAgencyId` on LEAs): per-target path, keyed by target resource path. When set,
   * `targetPath` is the abstract name (`['educationOrganizationId']`); use `targetPathIn()` from the index.
   */
  readonly targetPaths?: Readonly<Record<string, readonly string[]>>;
}

export interface ReferenceProperty extends PropertyBase {
  readonly kind: 'reference';
  /** Target resource paths; more than one for abstract targets (educationOrganizationReference → schools, localEducationAgencies, …). */
  readonly targets: readonly string[];
  readonly fields: readonly ReferenceField[];
}

export interface ObjectShape {
  readonly properties: readonly Property[];
  /** Texas `_ext.TX` on a collection item (e.g. `studentAcademicRecords.diplomas[]._ext.TX`). */
  readonly extension?: ObjectShape;
}

/** An array of items; items are keyed by their identity properties (duplicates → 400). */
export interface CollectionProperty extends PropertyBase {
  readonly kind: 'collection';
  readonly item: ObjectShape;
}

/** A 1:1 embedded object (e.g. `classRanking`). */
export interface ObjectProperty extends PropertyBase {
  readonly kind: 'object';
  readonly shape: ObjectShape;
}

export type Property = ScalarProperty | DescriptorProperty | ReferenceProperty | CollectionProperty | ObjectProperty;

/** Two identity values that must agree ("key unification"). */
export interface MustMatch {
  readonly left: readonly string[];
  readonly right: readonly string[];
}

export interface ResourceModel {
  readonly project: Project;
  /** Endpoint name, e.g. `studentSchoolAssociations`. */
  readonly name: string;
  /** `${project}/${name}` — the key used everywhere. */
  readonly path: string;
  /** Model entity name, e.g. `StudentSchoolAssociation`. */
  readonly entity: string;
  readonly isDescriptor: boolean;
  readonly properties: readonly Property[];
  /** Natural key as JSON paths in a fixed order, e.g. `[['entryDate'],['schoolReference','schoolId'],['studentReference','studentUniqueId']]`. */
  readonly identity: readonly (readonly string[])[];
  readonly mustMatch: readonly MustMatch[];
  /** Whether PUT may change the natural key (cascading), per the generated mappers. */
  readonly allowsIdentityUpdate: boolean;
  /** Texas `_ext.TX` properties on a core resource, when the chosen TEDS version adds any. */
  readonly extension?: ObjectShape;
  /** Kind of person a resource is (drives relationship authorization and the dependencies' Create/Update split). */
  readonly person?: 'student' | 'staff' | 'contact';
}

/** One entry of `/metadata/data/v3/dependencies` in the ODS/API's shape. */
export interface DependencyEntry {
  /** e.g. `/ed-fi/students` */
  readonly resource: string;
  readonly order: number;
  readonly operations: readonly ('Create' | 'Update')[];
}

export interface ModelOptions {
  readonly dataStandard: DataStandard;
  /** Texas extension version; none when undefined. */
  readonly teds?: TedsVersion;
}

export interface EdfiModel {
  readonly options: ModelOptions;
  /** All resources, descriptors included, keyed by path (`ed-fi/students`, `tx/…`). */
  readonly resources: ReadonlyMap<string, ResourceModel>;
  /** Case-insensitive lookup by path, as ODS routing ignores case. */
  resource(path: string): ResourceModel | undefined;
  /** Resource paths in publish order (descriptors and schoolYearTypes first). */
  readonly dependencyOrder: readonly string[];
  /** The dependencies document as the ODS serves it. */
  readonly dependencies: readonly DependencyEntry[];
}
