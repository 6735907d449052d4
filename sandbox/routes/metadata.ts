/**
 * The anonymous routes (edfi-api-facts.md §0, §2): the discovery document per generation,
 * `/metadata/data/v3/dependencies`, the OpenAPI section list and documents, and `/health`.
 */
import { createHash } from 'node:crypto';
import type { Core } from '../core.js';
import { header, sendEmpty, sendJson, type RequestContext } from '../http.js';
import { openApiDocument } from '../model.js';

const VERSION_7 = '7.2';
const VERSION_6 = '6.1';

function dataModels(core: Core): object[] {
  const ds = core.dataStandard === '5.x' ? '5.2.0' : '4.0.0';
  return [
    { name: 'Ed-Fi', version: ds, informationalVersion: `The Ed-Fi Data Standard v${ds}` },
    ...(core.teds !== undefined ? [{ name: 'TX', version: core.teds, informationalVersion: `Texas Education Data Standard (TEDS) ${core.teds}` }] : []),
  ];
}

/** `GET /` (and `GET /{year}` in 7.x). Year-specific 7.x keeps the literal `{schoolYearFromRoute}` until a year is in the route. */
export function discovery(core: Core, c: RequestContext): void {
  if (core.version === '6.1') {
    // 6.x year-specific: the year goes after data/v3 and is the current calendar year in the document.
    const y = core.yearSpecific ? new Date().getUTCFullYear() : undefined;
    return sendJson(c.res, 200, {
      version: VERSION_6,
      informationalVersion: VERSION_6,
      suite: '3',
      build: '6.1.0.0',
      apiMode: core.yearSpecific ? 'Year Specific' : 'Sandbox',
      dataModels: dataModels(core),
      urls: {
        dependencies: `${c.origin}/metadata/data/v3${y !== undefined ? `/${y}` : ''}/dependencies`,
        openApiMetadata: `${c.origin}/metadata/${y !== undefined ? `${y}/` : ''}`,
        oauth: `${c.origin}/oauth/token`,
        dataManagementApi: y !== undefined ? `${c.origin}/data/v3/${y}` : `${c.origin}/data/v3/`,
        changeQueries: `${c.origin}/changeQueries/v1/${y !== undefined ? `${y}/` : ''}`,
      },
    });
  }
  const base = core.yearSpecific ? `${c.origin}/${c.year ?? '{schoolYearFromRoute}'}` : c.origin;
  sendJson(c.res, 200, {
    version: VERSION_7,
    applicationName: 'Ed-Fi Alliance ODS/API',
    informationalVersion: VERSION_7,
    suite: '3',
    build: '7.2.0.0',
    dataModels: dataModels(core),
    urls: {
      dependencies: `${base}/metadata/data/v3/dependencies`,
      openApiMetadata: `${base}/metadata/`,
      oauth: `${base}/oauth/token`,
      dataManagementApi: `${base}/data/v3/`,
      changeQueries: `${base}/changeQueries/v1/`,
    },
  });
}

export function health(c: RequestContext): void {
  c.res.writeHead(200, { 'content-type': 'text/plain' });
  c.res.end('Healthy');
}

/** `/metadata/…` below the route prefix: returns false when the path is not a metadata route. */
export function metadataRoute(core: Core, c: RequestContext, segments: readonly string[]): boolean {
  const lower = segments.map((s) => s.toLowerCase());
  // 6.x year-specific puts the year after data/v3 (and after metadata for the section list).
  if (core.version === '6.1' && core.yearSpecific) {
    if (lower[0] === 'data' && lower[1] === 'v3' && /^\d{4}$/.test(lower[2] ?? '')) lower.splice(2, 1);
    else if (/^\d{4}$/.test(lower[0] ?? '')) lower.splice(0, 1);
  }
  const path = lower.join('/');
  const dataUrl = core.version === '6.1' && c.year !== undefined ? `${c.origin}/data/v3/${c.year}` : `${c.base}/data/v3`;
  const metaBase = core.version === '6.1' && c.year !== undefined ? `${c.origin}/metadata/data/v3/${c.year}` : `${c.base}/metadata/data/v3`;
  const send = (value: unknown): true => {
    sendJson(c.res, 200, value);
    return true;
  };
  if (path === '') {
    sections(c, metaBase, core);
    return true;
  }
  if (path === 'data/v3/dependencies') return send(core.model.dependencies);
  if (path === 'data/v3/resources/swagger.json') return send(openApiDocument(core.model, 'resources', c.base, dataUrl));
  if (path === 'data/v3/descriptors/swagger.json') return send(openApiDocument(core.model, 'descriptors', c.base, dataUrl));
  if (path === 'changequeries/v1/swagger.json') return send(changeQueriesSpec(c.base));
  return false;
}

/** The OpenAPI section list, sorted by section then name, with an ETag for If-None-Match. */
function sections(c: RequestContext, metaBase: string, core: Core): void {
  const list = [
    { name: 'Descriptors', endpointUri: `${metaBase}/descriptors/swagger.json`, prefix: '' },
    { name: 'Resources', endpointUri: `${metaBase}/resources/swagger.json`, prefix: '' },
    { name: 'ChangeQueries', endpointUri: `${core.version === '6.1' ? c.origin : c.base}/metadata/changeQueries/v1/swagger.json`, prefix: 'Other' },
  ];
  const etag = `"${createHash('sha1').update(JSON.stringify(list)).digest('hex').slice(0, 16)}"`;
  if (header(c.req, 'if-none-match') === etag) return sendEmpty(c.res, 304, { etag });
  sendJson(c.res, 200, list, { etag });
}

function changeQueriesSpec(base: string): object {
  return {
    openapi: '3.0.1',
    info: { title: 'Ed-Fi Change Queries', version: '1' },
    servers: [{ url: `${base}/changeQueries/v1` }],
    paths: {
      '/availableChangeVersions': {
        get: {
          operationId: 'getAvailableChangeVersions',
          responses: {
            200: {
              description: 'The oldest and newest change versions',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { oldestChangeVersion: { type: 'integer' }, newestChangeVersion: { type: 'integer' } } },
                },
              },
            },
          },
        },
      },
    },
  };
}
