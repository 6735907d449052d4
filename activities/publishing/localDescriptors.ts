/** Local descriptors met while extracting (unmapped codes in the profile's namespace): staged in the catalog, then published before the records that use them. */
import { runLog } from '../runLog.js';
import { batchLogLevel, statusTally } from '../../publishing/logging.js';
import { payloadHash } from '../../edfi/documents.js';
import { type CatalogWrite } from '../../db/catalog.js';
import { localDescriptorsToSend, stageLocalDescriptorRows } from '../../db/localDescriptors.js';
import { localDescriptorStatuses } from '../../publishing/staging.js';
import { type LocalDescriptorMet } from '../../publishing/descriptorLookup.js';
import { send, outcomeWrite } from './sending.js';
import { type BatchSummary } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

/**
 * Local descriptors met while extracting go into the catalog, pending, so the run publishes them
 * before the records that use them. Answers how many were new there.
 */
export const stageLocalDescriptors = async (e: Engine, profileId: string, schoolYear: number, met: readonly LocalDescriptorMet[]): Promise<number> => {
  const writes = met.map((d) => {
    const doc = { namespace: d.namespace, codeValue: d.codeValue, shortDescription: d.codeValue, description: `Local code ${d.codeValue}` };
    return {
      resource: catalogName(d.resource),
      sourceKey: d.uri,
      naturalKey: JSON.stringify({ namespace: d.namespace, codeValue: d.codeValue }),
      hash: payloadHash(doc),
      doc,
    };
  });
  if (writes.length === 0) return 0;
  return stageLocalDescriptorRows(e.db, profileId, schoolYear, writes);
};

/** Local descriptors waiting in the catalog (met while extracting), or every one with `all`. */
export const publishLocalDescriptors = async (
  e: Engine,
  input: { profileId: string; schoolYear: number; all?: boolean; errorsOnly?: boolean },
): Promise<BatchSummary> => {
  const rt = await e.runtime(input.profileId);
  const rows = await localDescriptorsToSend(e.db, input.profileId, input.schoolYear, localDescriptorStatuses(input));
  const summary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
  const byResource = new Map<string, CatalogWrite[]>();
  await Promise.all(
    rows.map(async (r) => {
      // The ODS answers 200 when the value is already there: that is a success, not an error.
      const { outcome, http, id } = await send(e, rt, `ed-fi/${r.resource}`, r.doc);
      const w = outcomeWrite(
        { sourceKey: r.sourceKey, schoolId: null, naturalKey: r.naturalKey, payloadHash: r.payloadHash, sentJson: r.doc },
        id ?? r.edfiId,
        outcome,
        http,
      );
      byResource.set(r.resource, [...(byResource.get(r.resource) ?? []), w]);
      if (outcome.status === 'published') summary.published++;
      else summary.error++;
    }),
  );
  for (const [resource, writes] of byResource) await e.writeOutcomes(input.profileId, input.schoolYear, resource, writes);
  if (rows.length > 0) {
    const failed = statusTally(
      [...byResource.values()]
        .flat()
        .filter((w) => w.status === 'error')
        .map((w) => w.httpStatus),
    );
    runLog(batchLogLevel(summary), 'local descriptors sent', { ...summary, ...(failed !== '' ? { failed } : {}) });
  }
  return summary;
};
