/** How a downloaded record is keyed, apart from the download categories because workflows read those and this reads the model (node:crypto). */
import type { EdfiModel } from '../edfi/model/types.js';
import { naturalKeyOf } from '../edfi/documents.js';

/** Every descriptor's identity, for descriptor resources of projects the model does not hold (the API lists them: `tx/…Descriptors`). */
const DESCRIPTOR_IDENTITY = { identity: [['namespace'], ['codeValue']] } as const;

/**
 * A downloaded record's identity, stable across downloads (the API's ids may differ between
 * instances): the model's natural key of its resource, as the catalog writes it. Undefined for a
 * resource the model does not know or a record missing part of its key (it cannot be kept apart).
 */
export function downloadKey(model: EdfiModel, resource: string, doc: Record<string, unknown>): string | undefined {
  const shape = model.resource(resource) ?? (resource.endsWith('Descriptors') ? DESCRIPTOR_IDENTITY : undefined);
  if (shape === undefined) return undefined;
  const { key, missing } = naturalKeyOf(shape, doc);
  return missing === undefined ? key : undefined;
}
