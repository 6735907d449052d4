/**
 * `download/{profileId}/{year}`: downloads from the state's API, one category at a time; a
 * category asked for while another runs waits its turn. Each resource is one activity that pages
 * on its own, so the history holds a few events per resource, not per record.
 */
import { ApplicationFailure, CancellationScope, condition, isCancellation, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { downloadResources, type DownloadCategory } from '../publishing/downloads.js';
import { downloadQueueQuery, requestDownloadSignal, stopDownloadSignal, type DownloadInput } from '../temporal/contract.js';

const { downloadResource, markGone } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  // A failed page is retried (the heartbeat keeps the offset); a refused configuration is not.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
});
const { setDownloadStatus, downloadResourceList } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 } });

export const STOPPED_MESSAGE = 'stopped on request: what was downloaded so far stays, and nothing was marked gone';

export async function download(input: DownloadInput): Promise<void> {
  const { profileId, schoolYear } = input;
  const waiting: DownloadCategory[] = [];
  let running: DownloadCategory | undefined;
  let pass = 0;
  const enqueue = (c: DownloadCategory): void => {
    if (!waiting.includes(c) && running !== c) waiting.push(c);
  };
  for (const c of input.categories ?? []) enqueue(c);
  /** Waiting categories a stop dropped, still to be marked stopped. */
  const dropped: DownloadCategory[] = [];
  let scope: CancellationScope | undefined;
  setHandler(requestDownloadSignal, enqueue);
  setHandler(stopDownloadSignal, () => {
    dropped.push(...waiting.splice(0));
    scope?.cancel();
  });
  setHandler(downloadQueueQuery, () => ({ running, waiting: [...waiting] }));
  for (const c of waiting) await setDownloadStatus({ profileId, schoolYear, category: c, status: 'waiting' });
  for (;;) {
    // A signal that arrives with the start is handled before this first check.
    await condition(() => waiting.length > 0 || dropped.length > 0, '1 second');
    for (const c of dropped.splice(0)) await setDownloadStatus({ profileId, schoolYear, category: c, status: 'stopped', message: STOPPED_MESSAGE });
    const category = waiting.shift();
    if (category === undefined) return;
    running = category;
    // Unique per pass: a category downloaded twice in one run must still find what went away.
    const runId = `${workflowInfo().workflowId}/${workflowInfo().runId}/${category}/${++pass}`;
    // A scope per category, made before its first await, so a stop at any moment cancels this
    // category's activities and nothing else.
    const current = new CancellationScope();
    scope = current;
    try {
      const note = await current.run(async () => {
        await setDownloadStatus({ profileId, schoolYear, category, status: 'running' });
        // Runs begun before the list came from the API keep the fixed list when replayed (README's
        // "Retiring a patched() branch" says when this and the patch below can go).
        const listed = patched('download-resources-from-api')
          ? await downloadResourceList({ profileId, category })
          : { resources: downloadResources(category) };
        const resources = listed.resources;
        if (patched('parallel-resource-downloads')) {
          // Hundreds of small descriptor resources: eight at a time instead of one after another.
          for (let i = 0; i < resources.length; i += 8)
            await Promise.all(resources.slice(i, i + 8).map((resource) => downloadResource({ profileId, schoolYear, category, resource, runId })));
        } else for (const resource of resources) await downloadResource({ profileId, schoolYear, category, resource, runId });
        await markGone({ profileId, schoolYear, category, runId, resources });
        return listed.note;
      });
      await setDownloadStatus({ profileId, schoolYear, category, status: 'done', ...(note !== undefined ? { message: note } : {}) });
    } catch (err) {
      // What was downloaded stays; the status says which set failed (or was stopped) and why.
      if (isCancellation(err)) await setDownloadStatus({ profileId, schoolYear, category, status: 'stopped', message: STOPPED_MESSAGE });
      else {
        const cause = err instanceof Error && err.cause instanceof ApplicationFailure ? err.cause.message : err instanceof Error ? err.message : String(err);
        await setDownloadStatus({ profileId, schoolYear, category, status: 'failed', message: cause });
      }
    }
    scope = undefined;
    running = undefined;
  }
}
