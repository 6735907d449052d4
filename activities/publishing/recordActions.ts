/** The record details' Publish and Delete from the ODS. */
import { ApplicationFailure } from '@temporalio/common';
import { forgetWatermarks } from '../../db/changeWatermark.js';
import { writeOutcomes } from '../../db/catalog.js';
import { classifyResponse } from '../../publishing/outcome.js';
import { outcomeWrite } from './sending.js';
import { publishOne } from './publishOne.js';
import { catalogName } from './shared.js';
import type { Engine } from './engine.js';

export function recordActionsActivities(e: Engine) {
  return {
    /** The record details' "Publish": this one record, re-extracted and sent now. */
    republishRecord: (input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }) => publishOne(e, input, false),

    /** The record details' "Delete from the ODS": sent without validation, as the guide says; the catalog keeps the row as deleted. */
    async deleteRecord(input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }): Promise<{ outcome: string }> {
      const name = catalogName(input.resource);
      const found = await e.db.query<{ edfi_id: string | null; natural_key: string; payload_hash: string; school_id: string | null }>(
        'SELECT edfi_id, natural_key, payload_hash, school_id FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4',
        [input.profileId, input.schoolYear, name, input.sourceKey],
      );
      const row = found.rows[0];
      if (row === undefined) throw ApplicationFailure.nonRetryable(`no ${name} record "${input.sourceKey}" in the catalog for ${input.schoolYear}`);
      if (row.edfi_id === null) return { outcome: 'never published: nothing to delete in the ODS' };
      const rt = await e.runtime(input.profileId);
      const answer = await rt.limit.run(() => rt.client.delete(input.resource, row.edfi_id!));
      const o = classifyResponse('DELETE', answer.status, answer.body);
      const base = { sourceKey: input.sourceKey, schoolId: row.school_id, naturalKey: row.natural_key, payloadHash: row.payload_hash, sentJson: null };
      // No SIS event will say to send it again: the next Now – Changes reads the resource whole.
      if (o.status === 'deleted') await forgetWatermarks(e.db, input.profileId, input.schoolYear, [name]);
      await writeOutcomes(e.db, input.profileId, input.schoolYear, name, [
        o.status === 'deleted'
          ? {
              ...base,
              edfiId: null,
              status: 'deleted',
              statusDescription: 'deleted from the ODS on request',
              httpStatus: answer.status,
              dependencySource: null,
              dependsOn: null,
              attempted: true,
            }
          : outcomeWrite(base, row.edfi_id, o, answer.status),
      ]);
      return { outcome: o.status === 'deleted' ? 'deleted' : o.message };
    },
  };
}
