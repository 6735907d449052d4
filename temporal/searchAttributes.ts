/** The custom search attributes support engineers filter runs by in the Temporal UI. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProfileIdKey = defineSearchAttributeKey('ProfileId', SearchAttributeType.KEYWORD);
export const SchoolYearKey = defineSearchAttributeKey('SchoolYear', SearchAttributeType.INT);
export const CategoryKey = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const PublishOptionKey = defineSearchAttributeKey('PublishOption', SearchAttributeType.KEYWORD);
