/**
 * Every error the sandbox answers, as a fact about what went wrong (ApiError), and how each ODS/API
 * generation writes it: 6.1 as `{"message": …}` (legacy.ts), 7.x as Problem Details with the 7.2+
 * texts (problemDetails.ts). Texts: shared/reference/edfi-api-facts.md §3–§4.
 */
import type { ApiVersion } from './options.js';
import { renderLegacy } from './errors/legacy.js';
import { renderProblem } from './errors/problemDetails.js';
import type { ApiError, Reply } from './errors/shapes.js';

export * from './errors/shapes.js';

export function render(version: ApiVersion, error: ApiError, correlationId: string): Reply {
  return version === '6.1' ? renderLegacy(error) : renderProblem(error, correlationId);
}
