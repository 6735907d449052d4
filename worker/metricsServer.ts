/**
 * The worker's Prometheus endpoint: `GET /metrics` answers our series (observability/metrics.ts)
 * followed by the Temporal SDK's own worker metrics (task slots, poll latency, sticky cache…),
 * which its runtime serves on a second, local-only address. One scrape target per worker.
 */
import http from 'node:http';
import { request } from 'undici';
import { METRICS_CONTENT_TYPE, type WorkerMetrics } from '../observability/metrics.js';

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** `host:port` → its parts; the port may be 0 (any free one). */
export function parseAddress(address: string, variable: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(address.trim());
  const port = Number(m?.[2]);
  if (m === null || !(port >= 0 && port <= 65535)) throw new Error(`${variable} must be host:port (e.g. 127.0.0.1:9464), not "${address}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

async function sdkMetrics(url: string | undefined): Promise<string> {
  if (url === undefined) return '';
  try {
    const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
    const text = await res.body.text();
    return res.statusCode === 200 ? text : `# the Temporal SDK's metrics answered ${res.statusCode}\n`;
  } catch (err) {
    // Ours still answer: a scrape that fails whole would hide them too.
    return `# the Temporal SDK's metrics did not answer: ${(err as Error).message}\n`;
  }
}

export async function serveWorkerMetrics(
  metrics: WorkerMetrics,
  at: { host: string; port: number; sdkMetricsUrl?: string | undefined },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    void (async () => {
      try {
        const ours = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(`${ours}\n${await sdkMetrics(at.sdkMetricsUrl)}`);
      } catch (err) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`metrics could not be read: ${(err as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
