/** The category run's progress query, apart from the workflow so the API can ask it without importing the workflow. */
import { defineQuery } from '@temporalio/workflow';
import type { CategoryProgress } from '../publishing/progress.js';

/** The dashboard's running state — processing (extracting and planning) or publishing (sending) —, batches sent of all, and the counts over time (its progress chart). */
export const categoryProgressQuery = defineQuery<CategoryProgress>('progress');
