/** Client side of downloads: queue categories on a school year's download run, or stop it. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import type { DownloadCategory } from '../../publishing/downloads.js';
import { requestDownloadSignal, stopDownloadSignal, type Workflows } from '../contract.js';
import { downloadWorkflowId } from '../ids.js';
import { ProfileIdKey, SchoolYearKey } from '../searchAttributes.js';

/** Asks for `categories` (at least one), starting the year's download run when none is going; answers its workflow id. */
export async function requestDownloads(
  client: Client,
  config: TemporalConfig,
  target: { profileId: string; schoolYear: number },
  categories: readonly [DownloadCategory, ...DownloadCategory[]],
): Promise<string> {
  const workflowId = downloadWorkflowId(target.profileId, target.schoolYear);
  const [first, ...rest] = categories;
  const handle = await client.workflow.signalWithStart<Workflows['download'], [DownloadCategory]>('download', {
    workflowId,
    taskQueue: config.taskQueues.downloads,
    args: [{ ...target, categories: rest }],
    signal: requestDownloadSignal,
    signalArgs: [first],
    typedSearchAttributes: [
      { key: ProfileIdKey, value: target.profileId },
      { key: SchoolYearKey, value: target.schoolYear },
    ],
  });
  // A run already going gets the rest by signal too (the start arguments only reach a new run).
  for (const c of rest) await handle.signal(requestDownloadSignal, c);
  return workflowId;
}

/** Stops the year's download and answers its workflow id; undefined when none is running. */
export async function stopDownloads(client: Client, target: { profileId: string; schoolYear: number }): Promise<string | undefined> {
  const workflowId = downloadWorkflowId(target.profileId, target.schoolYear);
  try {
    await client.workflow.getHandle(workflowId).signal(stopDownloadSignal);
    return workflowId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
