/**
 * A minimal OpenAPI 3 document per metadata section, generated from the model: what the sandbox serves
 * at `/metadata/data/v3/resources/swagger.json` and `…/descriptors/swagger.json` (edfi-api-facts.md
 * section 2). Paths are relative to `servers[0].url` = `{root}/data/v3`, as in the ODS.
 */
import { camel, pascal } from './dsl.js';
import type { EdfiModel, ObjectShape, Property, ResourceModel, ScalarType } from './types.js';

export type OpenApiSection = 'resources' | 'descriptors';

export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  readOnly?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  /** The ODS/API's extension marking a natural-key field (lightbeam validate and fetch read it). */
  'x-Ed-Fi-isIdentity'?: boolean;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required: boolean;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  tags: string[];
  summary: string;
  operationId: string;
  parameters?: ({ $ref: string } | OpenApiParameter)[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.0.1';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, OpenApiParameter>;
    securitySchemes: Record<string, { type: 'oauth2'; flows: { clientCredentials: { tokenUrl: string; scopes: Record<string, string> } } }>;
  };
  security: Record<string, string[]>[];
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const prefixOf = (project: string): string => (project === 'ed-fi' ? 'edFi' : project);

function scalarSchema(t: ScalarType): JsonSchema {
  switch (t.kind) {
    case 'string':
      return { type: 'string', ...(t.maxLength === undefined ? {} : { maxLength: t.maxLength }) };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'time':
      return { type: 'string', format: 'time' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
    case 'number':
      // No int32/int64 format: DS 5.x widened ed-org ids to bigint, and the model does not carry sizes.
      return {
        type: t.kind,
        ...(t.min === undefined ? {} : { minimum: t.min }),
        ...(t.max === undefined ? {} : { maximum: t.max }),
      };
  }
}

// 306 = namespace (255) + '#' + codeValue (50), the ODS's own limit on descriptor URIs.
const descriptorSchema = (path: string): JsonSchema => ({ type: 'string', maxLength: 306, description: `A descriptor URI from /${path}` });

class SchemaBuilder {
  readonly schemas: Record<string, JsonSchema> = {};
  constructor(private readonly model: EdfiModel) {}

  private referenceSchema(p: Extract<Property, { kind: 'reference' }>): JsonSchema {
    // One schema per target entity: fields are the target's own names whatever the role.
    const target = p.targets.length === 1 ? this.model.resources.get(p.targets[0] ?? '') : undefined;
    const name = target ? `${prefixOf(target.project)}_${camel(target.entity)}Reference` : 'edFi_educationOrganizationReference';
    if (!this.schemas[name]) {
      this.schemas[name] = {
        type: 'object',
        properties: Object.fromEntries(
          // A reference is the target's identity: every field of it is marked, as the ODS/API does.
          p.fields.map((f) => [
            f.name,
            { ...(f.type.kind === 'descriptor' ? descriptorSchema(f.type.descriptor) : scalarSchema(f.type)), 'x-Ed-Fi-isIdentity': true },
          ]),
        ),
        required: p.fields.map((f) => f.name),
      };
    }
    return ref(name);
  }

  private propertySchema(owner: string, p: Property): JsonSchema {
    switch (p.kind) {
      case 'scalar':
        return scalarSchema(p.type);
      case 'descriptor':
        return descriptorSchema(p.descriptor);
      case 'reference':
        return this.referenceSchema(p);
      case 'collection':
        return { type: 'array', ...(p.required ? { minItems: 1 } : {}), items: this.shape(`${owner}_${p.name}`, p.item) };
      case 'object':
        return this.shape(`${owner}_${p.name}`, p.shape);
    }
  }

  shape(name: string, shape: ObjectShape, extra: Record<string, JsonSchema> = {}, trailer: Record<string, JsonSchema> = {}): JsonSchema {
    const props: Record<string, JsonSchema> = { ...extra };
    for (const p of shape.properties) {
      const schema = this.propertySchema(name, p);
      // Identity values are marked; a reference is marked on its own fields (a sibling of $ref is ignored).
      props[p.name] = p.identity && schema.$ref === undefined ? { ...schema, 'x-Ed-Fi-isIdentity': true } : schema;
    }
    if (shape.extension) {
      props._ext = { type: 'object', properties: { TX: this.shape(`${name}_Extension_TX`, shape.extension) } };
    }
    Object.assign(props, trailer);
    const required = shape.properties.filter((p) => p.required).map((p) => p.name);
    this.schemas[name] = { type: 'object', properties: props, ...(required.length ? { required } : {}) };
    return ref(name);
  }

  resource(r: ResourceModel): JsonSchema {
    return this.shape(
      `${prefixOf(r.project)}_${camel(r.entity)}`,
      r,
      { id: { type: 'string', description: 'The server-assigned identifier (32 hex characters); never sent on POST.' } },
      {
        _etag: { type: 'string', readOnly: true, description: 'A unique system-generated value that identifies the version of the resource.' },
        _lastModifiedDate: { type: 'string', format: 'date-time', readOnly: true, description: 'The date and time the resource was last modified.' },
      },
    );
  }
}

const ERRORS: Record<string, OpenApiResponse> = {
  '400': { description: 'Bad Request. The request was invalid and cannot be completed.' },
  '401': { description: 'Unauthorized. The request requires authentication.' },
  '403': { description: 'Forbidden. The request is authenticated, but not authorized to access this resource.' },
  '409': { description: 'Conflict. The request cannot be completed because it would result in an invalid state.' },
  '412': { description: 'The resource was modified by another consumer.' },
  '404': { description: 'The resource could not be found.' },
};

const PARAMETERS: Record<string, OpenApiParameter> = {
  offset: {
    name: 'offset',
    in: 'query',
    description: 'Items to skip before the first returned.',
    required: false,
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  limit: {
    name: 'limit',
    in: 'query',
    description: 'Most items to return.',
    required: false,
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 500 },
  },
  totalCount: {
    name: 'totalCount',
    in: 'query',
    description: 'Adds a Total-Count header with the number of matching items.',
    required: false,
    schema: { type: 'boolean' },
  },
  id: { name: 'id', in: 'path', description: 'The resource identifier.', required: true, schema: { type: 'string' } },
};

const pick = (...codes: string[]): Record<string, OpenApiResponse> => Object.fromEntries(codes.map((code) => [code, ERRORS[code] ?? { description: code }]));

/** `root` is the API root (`http://host:port`); a trailing `/data/v3` is accepted too. */
export function openApiFor(model: EdfiModel, section: OpenApiSection, baseUrl: string): OpenApiDocument {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/data\/v3$/, '');
  const builder = new SchemaBuilder(model);
  const paths: OpenApiDocument['paths'] = {};
  const tags: OpenApiDocument['tags'] = [];
  const wanted = [...model.resources.values()].filter((r) => r.isDescriptor === (section === 'descriptors'));

  for (const r of wanted) {
    const schema = builder.resource(r);
    const op = `${r.project === 'ed-fi' ? '' : pascal(r.project)}${pascal(r.name)}`;
    const tag = r.project === 'ed-fi' ? r.name : `${r.project}/${r.name}`;
    tags.push({ name: tag, description: `${r.entity} (/${r.path})` });
    const body = { required: true, content: { 'application/json': { schema } } };
    paths[`/${r.path}`] = {
      get: {
        tags: [tag],
        summary: `Retrieves ${r.name}, paged.`,
        operationId: `get${op}`,
        parameters: ['offset', 'limit', 'totalCount'].map((p) => ({ $ref: `#/components/parameters/${p}` })),
        responses: {
          '200': { description: 'The requested page of items.', content: { 'application/json': { schema: { type: 'array', items: schema } } } },
          ...pick('400', '401', '403'),
        },
      },
      post: {
        tags: [tag],
        summary: `Creates or updates a ${r.entity} by its natural key.`,
        operationId: `post${op}`,
        requestBody: body,
        responses: {
          '200': { description: 'Updated: an item with the same natural key existed.' },
          '201': { description: 'Created.' },
          ...pick('400', '401', '403', '409', '412'),
        },
      },
    };
    const byId = [{ $ref: '#/components/parameters/id' }];
    paths[`/${r.path}/{id}`] = {
      get: {
        tags: [tag],
        summary: `Retrieves a ${r.entity} by id.`,
        operationId: `get${op}ById`,
        parameters: byId,
        responses: { '200': { description: 'The item.', content: { 'application/json': { schema } } }, ...pick('400', '401', '403', '404') },
      },
      put: {
        tags: [tag],
        summary: `Updates a ${r.entity} by id.`,
        operationId: `put${op}`,
        parameters: byId,
        requestBody: body,
        responses: { '204': { description: 'Updated.' }, ...pick('400', '401', '403', '404', '409', '412') },
      },
      delete: {
        tags: [tag],
        summary: `Deletes a ${r.entity} by id.`,
        operationId: `delete${op}ById`,
        parameters: byId,
        responses: { '204': { description: 'Deleted.' }, ...pick('400', '401', '403', '404', '409', '412') },
      },
    };
  }

  const { dataStandard, teds } = model.options;
  return {
    openapi: '3.0.1',
    info: {
      title: 'Ed-Fi Operational Data Store API',
      version: '3',
      description: `Ed-Fi Data Standard ${dataStandard}${teds ? ` with the Texas TEDS ${teds} extension` : ''}: ${section}.`,
    },
    servers: [{ url: `${root}/data/v3` }],
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(builder.schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      parameters: PARAMETERS,
      securitySchemes: { oauth2_client_credentials: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${root}/oauth/token`, scopes: {} } } } },
    },
    security: [{ oauth2_client_credentials: [] }],
  };
}
