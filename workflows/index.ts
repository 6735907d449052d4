/** Every workflow the worker registers. Only deterministic orchestration lives in this folder. */
export { publishQueue } from './publishQueue.js';
export { scheduledSync } from './scheduledSync.js';
export { initialSync } from './initialSync.js';
export { dataChanges } from './dataChanges.js';
export { download } from './download.js';
export { categoryPublish } from './categoryPublish.js';
export { dependencyRetry } from './dependencyRetry.js';
export { dependencyRetries } from './dependencyRetries.js';
export { recordAction, resync } from './recordActions.js';
