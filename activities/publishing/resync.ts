/** Resync (seed 001) of one resource against the ODS and the SIS. */
import { runLog } from '../runLog.js';
import { forgetWatermarks } from '../../db/changeWatermark.js';
import { catalogInOds, profileLeaNumber, publishedEdOrgIds } from '../../db/resync.js';
import { forgetRecords, type CatalogWrite } from '../../db/catalog.js';
import { mapperFor } from '../../resources/index.js';
import { classifyResponse } from '../../publishing/outcome.js';
import { isDistrictStray } from '../../publishing/resyncOwnership.js';
import { publishContext } from './context.js';
import { outcomeWrite } from './sending.js';
import { ODS_PAGE } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { ResyncCounts } from '../../temporal/contract.js';
import type { Engine } from './engine.js';

export function resyncActivities(e: Engine) {
  return {
    /**
     * Resync of one resource (seed 001): catalog records the ODS no longer has leave the catalog (a
     * later Now – Changes sends them again); ODS records of the district's schools that match
     * nothing in the catalog are deleted from the ODS.
     */
    /**
     * Resync (seed 001) of one resource: catalog records the ODS lost are forgotten (the next Now –
     * Changes sends them again); records the SIS no longer sends — excluded after being sent, or
     * removed — are deleted from the ODS, even with the resource toggled off; and the district's
     * ODS records nothing in the catalog matches (strays) are deleted. The district is its LEA and
     * every school the ODS lists under it, published by this profile or not.
     */
    async resyncResource(input: { profileId: string; schoolYear: number; resource: string }): Promise<ResyncCounts> {
      const rt = await e.runtime(input.profileId);
      const name = catalogName(input.resource);
      const ods = new Map<string, Record<string, unknown>>();
      for (let offset = 0; ; offset += ODS_PAGE) {
        const page = (await rt.ods.page(input.resource, offset, ODS_PAGE)) as Array<Record<string, unknown>>;
        for (const doc of page) if (typeof doc.id === 'string') ods.set(doc.id, doc);
        if (page.length < ODS_PAGE) break;
      }
      const catalog = await catalogInOds(e.db, input.profileId, input.schoolYear, name);
      const known = new Set(catalog.map((r) => r.edfiId));
      const gone = catalog.filter((r) => !ods.has(r.edfiId)).map((r) => r.sourceKey);
      await forgetRecords(e.db, input.profileId, input.schoolYear, name, gone);
      // Forgotten records come back only from a full read of the SIS.
      if (gone.length > 0) await forgetWatermarks(e.db, input.profileId, input.schoolYear, [name]);

      // What the SIS sends today: a record in the ODS that it no longer sends is deleted there.
      const mapper = mapperFor(input.resource);
      const sent = new Set<string>();
      if (mapper !== undefined) {
        const { ctx } = await publishContext(e, rt.profile, input.schoolYear, undefined);
        const sisClient = await (await e.source(rt.profile)).connect();
        try {
          for await (const r of mapper.extract(sisClient, ctx)) sent.add(r.sourceKey);
        } finally {
          sisClient.release();
        }
      }
      const leftSis = mapper === undefined ? [] : catalog.filter((r) => ods.has(r.edfiId) && !sent.has(r.sourceKey));
      let errors = 0;
      const writes: CatalogWrite[] = [];
      for (const r of leftSis) {
        const answer = await rt.ods.delete(input.resource, r.edfiId);
        const outcome = classifyResponse('DELETE', answer.status, answer.body);
        const base = { sourceKey: r.sourceKey, schoolId: r.schoolId, naturalKey: r.naturalKey, payloadHash: r.payloadHash, sentJson: null };
        if (outcome.status === 'deleted')
          writes.push({
            ...base,
            edfiId: null,
            status: 'deleted',
            statusDescription: 'no longer sent by the SIS (excluded or removed): deleted from the ODS by resync',
            httpStatus: answer.status,
            dependencySource: null,
            dependsOn: null,
            attempted: true,
          });
        else {
          errors++;
          writes.push({ ...outcomeWrite(base, r.edfiId, outcome, answer.status), status: 'error' });
        }
      }
      await e.writeOutcomes(input.profileId, input.schoolYear, name, writes);

      // Strays: only the district's own — its LEA and the schools the ODS lists under it.
      const ours = new Set(await publishedEdOrgIds(e.db, input.profileId, input.schoolYear));
      const lea = await profileLeaNumber(e.db, input.profileId);
      if (lea !== undefined) {
        ours.add(String(Number(lea)));
        for (let offset = 0; ; offset += ODS_PAGE) {
          const page = (await rt.ods.page('ed-fi/schools', offset, ODS_PAGE, { localEducationAgencyId: String(Number(lea)) })) as Array<
            Record<string, unknown>
          >;
          for (const s of page) ours.add(String(s.schoolId));
          if (page.length < ODS_PAGE) break;
        }
      }
      let deleted = 0;
      for (const [id, doc] of ods) {
        if (known.has(id)) continue;
        if (!isDistrictStray(doc, ours, mapper?.strayOwnership ?? 'education-organization')) continue;
        const answer = await rt.ods.delete(input.resource, id);
        if (classifyResponse('DELETE', answer.status, answer.body).status === 'deleted') deleted++;
        else errors++;
      }
      const counts = { dropped: gone.length, leftSis: writes.length - errors, deleted, errors };
      runLog(errors > 0 ? 'ERROR' : 'INFO', 'resynced', { resource: input.resource, schoolYear: input.schoolYear, ...counts });
      return counts;
    },
  };
}
