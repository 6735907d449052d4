/** Live publish-queue status for the dashboard and the CLI: the queue workflow queried once a second per watched profile. */
import type { Client } from '@temporalio/client';
import type { QueueView } from '../../workflows/publishQueue.js';
import { readQueue } from '../temporal/publishQueue.js';
import { liveFeeds, type LiveFeeds } from './feeds.js';

export type QueueFeeds = LiveFeeds<QueueView | null>;

export function queueFeeds(temporal: Client, everyMs = 1_000): QueueFeeds {
  return liveFeeds(async (profileId) => (await readQueue(temporal, profileId)) ?? null, everyMs);
}
