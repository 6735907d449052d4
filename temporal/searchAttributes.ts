/** The custom search attributes support engineers filter runs by in the Temporal UI. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProfileIdKey = defineSearchAttributeKey('ProfileId', SearchAttributeType.KEYWORD);
export const SchoolYearKey = defineSearchAttributeKey('SchoolYear', SearchAttributeType.INT);
export const CategoryKey = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const PublishOptionKey = defineSearchAttributeKey('PublishOption', SearchAttributeType.KEYWORD);
/** What started a run: clerk, api, schedule, data-changes, initial-sync, dependencies, cascade. */
export const TriggerKey = defineSearchAttributeKey('Trigger', SearchAttributeType.KEYWORD);
/** The school of a run for one school (the dashboard's school context). */
export const SchoolIdKey = defineSearchAttributeKey('SchoolId', SearchAttributeType.KEYWORD);
/** How a category run ended: clean, with-dependencies, with-errors (publishing/runOutcome.ts). */
export const OutcomeKey = defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD);
export const ErrorCountKey = defineSearchAttributeKey('ErrorCount', SearchAttributeType.INT);
export const DependencyCountKey = defineSearchAttributeKey('DependencyCount', SearchAttributeType.INT);
