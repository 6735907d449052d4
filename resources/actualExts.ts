/**
 * Account Actuals: the district's actual expenditures by account code. TEDS 2024.2.1 sends them as
 * `tx/actualExts` for the school year's fiscal year, with the line's dates; from 2025.2.1 TEA
 * collects the closed prior fiscal year as `tx/priorYearActualExts`, keyed without dates
 * (reference/texas-extension.md §1.1). Both are the dashboard's one entity, `actualExts`.
 */
import { sqlMapper } from './mapper.js';
import { ACCOUNT_LINE_CHANGES, ACCOUNT_LIST_COLUMNS, accountLineRecord, accountLinesSql, type AccountLine } from './financeCodes.js';

const common = { sql: accountLinesSql('actual'), codeSets: [], revision: 1, listColumns: ACCOUNT_LIST_COLUMNS, changes: ACCOUNT_LINE_CHANGES } as const;

/** TEDS 2024.2.1: this fiscal year's actuals, dated. */
export const actualExts = sqlMapper<AccountLine & Record<string, unknown>>({
  ...common,
  resource: 'tx/actualExts',
  params: ['schoolYear', 'sourceKeys'],
  record: (row) => accountLineRecord('actual', row, true),
});

/** TEDS 2025.2.1 on: the prior fiscal year's actuals, without dates. */
export const priorYearActualExts = sqlMapper<AccountLine & Record<string, unknown>>({
  ...common,
  resource: 'tx/priorYearActualExts',
  params: [(ctx) => ctx.schoolYear - 1, 'sourceKeys'],
  record: (row) => accountLineRecord('actual', row, false),
});
