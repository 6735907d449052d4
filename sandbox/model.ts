/**
 * Where the sandbox gets its Ed-Fi model: the registry in edfi/model/. The hand-written fixture in
 * testModel.ts (the same EdfiModel shape) stood in until the registry landed; it stays for tests
 * that want a small model.
 */
import { edfiModel as buildModel, openApiFor as buildOpenApi } from '../edfi/model/index.js';
import type { EdfiModel, ModelOptions } from '../edfi/model/types.js';

export function loadModel(options: ModelOptions): EdfiModel {
  return buildModel(options);
}

/** The OpenAPI document of a metadata section; `servers[0]` is where this request's data lives (`…/2025/data/v3`, or `…/data/v3/2025` in 6.1). */
export function openApiDocument(model: EdfiModel, kind: 'resources' | 'descriptors', root: string, dataUrl: string): unknown {
  const doc = buildOpenApi(model, kind, root) as object;
  return { ...doc, servers: [{ url: dataUrl }] };
}
