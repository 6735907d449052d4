// `npm start`: install what is missing, then bring up the whole local stack (scripts/start.ts).
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('scripts/start.ts');
