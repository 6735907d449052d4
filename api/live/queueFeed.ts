/**
 * Live publish-queue status for the dashboard and the CLI: the queue workflow queried once a second
 * per watched profile, with the running category's progress, so each sent batch reaches the
 * dashboard's counts and chart as an event.
 */
import type { Client } from '@temporalio/client';
import type { QueueView } from '../../temporal/contract.js';
import type { CategoryProgress } from '../../publishing/progress.js';
import { readQueue, runningProgress } from '../../temporal/client/publishQueue.js';
import { liveFeeds, type LiveFeeds } from './feeds.js';

export type LiveQueueView = QueueView & { readonly progress?: CategoryProgress };
export type QueueFeeds = LiveFeeds<LiveQueueView | null>;

export function queueFeeds(temporal: Client, everyMs = 1_000): QueueFeeds {
  return liveFeeds(async (profileId) => {
    const view = await readQueue(temporal, profileId);
    if (view === undefined) return null;
    const progress = await runningProgress(temporal, view.running);
    return progress === undefined ? view : { ...view, progress };
  }, everyMs);
}
