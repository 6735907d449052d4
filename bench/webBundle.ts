/**
 * The web UI's weight: what a browser downloads for the first page (HTML, script, styles), raw
 * (as the API serves them) and gzip-compressed (as behind a compressing proxy). No framework and
 * no build step keep it small; this records the figure so growth is seen.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const web = path.resolve(import.meta.dirname, '..', 'web');
let raw = 0;
let gzip = 0;
for (const file of ['index.html', 'app.js', 'style.css']) {
  const bytes = readFileSync(path.join(web, file));
  const packed = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += packed;
  console.log(`RESULT web/${file}: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(packed / 1024).toFixed(1)} KiB gzip`);
}
console.log(`RESULT web UI total: ${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip (target: under 50 KiB gzip)`);
