/** The web UI: a few static files, served with a strict content security policy. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const WEB_DIR = path.resolve(import.meta.dirname, '../../web');
const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

export function webRoutes() {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    // The web UI: a few static files, served with a strict content security policy.
    const serveStatic = async (file: string, reply: FastifyReply) => {
      // Own keys only: `constructor` and friends are not files.
      const type = Object.hasOwn(STATIC, file) ? STATIC[file] : undefined;
      if (type === undefined) return reply.code(404).send({ error: 'Not Found', message: 'no such page' });
      const body = await readFile(path.join(WEB_DIR, file));
      return reply
        .header('content-type', type)
        .header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        .header('x-content-type-options', 'nosniff')
        .send(body);
    };
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => serveStatic('index.html', reply));
    // Browsers ask for /favicon.ico on their own (API docs, JSON answers): the same icon, not a 404.
    app.get('/favicon.ico', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => serveStatic('favicon.svg', reply));
    app.get('/ui/:file', { config: { access: 'public' }, schema: { hide: true, params: z.object({ file: z.string() }) } }, (req, reply) =>
      serveStatic(req.params.file, reply),
    );
    done();
  };
}
