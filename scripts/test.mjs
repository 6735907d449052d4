// `npm test`: install what is missing, then lint, typecheck, unit and integration tests (scripts/test.ts).
import { runTypeScript } from './bootstrap.mjs';

await runTypeScript('scripts/test.ts');
