/**
 * Live status over server-sent events: one poller per watched key (a profile's publish queue, a
 * profile's downloads of a year), however many browsers watch it. The source is read once a
 * second and each change is pushed to every subscriber, so nobody has to reload.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

type Listener<T> = (value: T) => void;

interface Feed<T> {
  readonly listeners: Set<Listener<T>>;
  timer: NodeJS.Timeout | undefined;
  last: string | undefined;
}

export interface LiveFeeds<T> {
  subscribe(key: string, listener: Listener<T>): () => void;
  close(): void;
}

export function liveFeeds<T>(read: (key: string) => Promise<T>, everyMs = 1_000): LiveFeeds<T> {
  const feeds = new Map<string, Feed<T>>();

  const poll = async (key: string, feed: Feed<T>): Promise<void> => {
    let value: T;
    try {
      value = await read(key);
    } catch {
      return; // The source briefly unreachable: keep the last state, try again next tick.
    }
    const text = JSON.stringify(value);
    if (text === feed.last) return;
    feed.last = text;
    for (const l of feed.listeners) l(value);
  };

  return {
    subscribe(key, listener) {
      let feed = feeds.get(key);
      if (feed === undefined) {
        const created: Feed<T> = { listeners: new Set(), timer: undefined, last: undefined };
        created.timer = setInterval(() => void poll(key, created), everyMs);
        feeds.set(key, created);
        feed = created;
        void poll(key, created);
      } else if (feed.last !== undefined) {
        // A late subscriber gets the current state at once.
        listener(JSON.parse(feed.last) as T);
      }
      feed.listeners.add(listener);
      const current = feed;
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0) {
          clearInterval(current.timer);
          feeds.delete(key);
        }
      };
    },
    close() {
      for (const f of feeds.values()) clearInterval(f.timer);
      feeds.clear();
    },
  };
}

/** Streams a feed to one client as server-sent events named `event` until the client goes away. */
export function streamFeed<T>(req: FastifyRequest, reply: FastifyReply, feeds: LiveFeeds<T>, key: string, event: string): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write('retry: 3000\n\n');
  const unsubscribe = feeds.subscribe(key, (value) => res.write(`event: ${event}\ndata: ${JSON.stringify(value)}\n\n`));
  // A comment line now and then keeps proxies from closing an idle stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
