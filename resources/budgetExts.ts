/**
 * `tx/budgetExts` (Account Budgets): the district's budget by account code for the school year's
 * fiscal year (PEIMS budget data), from the finance system. District-level: the LEA is the
 * education organization; the campus is the account code's organization.
 */
import { sqlMapper } from './mapper.js';
import { ACCOUNT_LINE_CHANGES, ACCOUNT_LIST_COLUMNS, accountLineRecord, accountLinesSql, type AccountLine } from './financeCodes.js';

export const budgetExts = sqlMapper<AccountLine & Record<string, unknown>>({
  resource: 'tx/budgetExts',
  sql: accountLinesSql('budget'),
  codeSets: [],
  revision: 1,
  listColumns: ACCOUNT_LIST_COLUMNS,
  changes: ACCOUNT_LINE_CHANGES,
  params: ['schoolYear', 'sourceKeys'],
  record: (row) => accountLineRecord('budget', row, true),
});
