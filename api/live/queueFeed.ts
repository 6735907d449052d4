/**
 * Live publish-queue status for the dashboard and the CLI, over server-sent events. One poller per
 * profile, however many browsers watch it: the queue workflow is queried once a second and each
 * change is pushed to every subscriber, so nobody has to reload.
 */
import type { Client } from '@temporalio/client';
import type { QueueView } from '../../workflows/publishQueue.js';
import { readQueue } from '../temporal/publishQueue.js';

type Listener = (view: QueueView | null) => void;

interface Feed {
  readonly listeners: Set<Listener>;
  timer: NodeJS.Timeout | undefined;
  last: string | undefined;
}

export interface QueueFeeds {
  subscribe(profileId: string, listener: Listener): () => void;
  close(): void;
}

export function queueFeeds(temporal: Client, everyMs = 1_000): QueueFeeds {
  const feeds = new Map<string, Feed>();

  const poll = async (profileId: string, feed: Feed): Promise<void> => {
    let view: QueueView | null;
    try {
      view = (await readQueue(temporal, profileId)) ?? null;
    } catch {
      return; // Temporal briefly unreachable: keep the last state, try again next tick.
    }
    const text = JSON.stringify(view);
    if (text === feed.last) return;
    feed.last = text;
    for (const l of feed.listeners) l(view);
  };

  return {
    subscribe(profileId, listener) {
      let feed = feeds.get(profileId);
      if (feed === undefined) {
        const created: Feed = { listeners: new Set(), timer: undefined, last: undefined };
        created.timer = setInterval(() => void poll(profileId, created), everyMs);
        feeds.set(profileId, created);
        feed = created;
        void poll(profileId, created);
      } else if (feed.last !== undefined) {
        // A late subscriber gets the current state at once.
        listener(JSON.parse(feed.last) as QueueView | null);
      }
      feed.listeners.add(listener);
      const current = feed;
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0) {
          clearInterval(current.timer);
          feeds.delete(profileId);
        }
      };
    },
    close() {
      for (const f of feeds.values()) clearInterval(f.timer);
      feeds.clear();
    },
  };
}
