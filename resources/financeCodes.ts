/**
 * The PEIMS account code of a district finance line as the Texas extension's Finance resources carry
 * it (reference/texas-extension.md §1.1): fund (C145), function (C146), object (C159) and program
 * intent (C147) as TEA descriptors, the organization (the campus number, 999 for the district) as an
 * integer 0..999, and the fiscal year as its last digit (0..9). Amounts are whole dollars.
 */
import type { EdfiDocument, ListColumnSpec, MappedRecord } from './mapper.js';

const TEA = 'uri://tea.texas.gov';

/** A TEA finance descriptor, e.g. `uri://tea.texas.gov/BudgetFundDescriptor#199`. */
export const teaDescriptor = (type: string, code: string): string => `${TEA}/${type}Descriptor#${code.trim()}`;

/** TEDS E0974: the fiscal year as its last digit. */
export const fiscalYearDigit = (fiscalYear: number): number => fiscalYear % 10;

export interface AccountCode {
  readonly fund: string;
  readonly function: string;
  readonly object: string;
  readonly programIntent: string;
  readonly organization: string;
  readonly fiscalYear: number;
}

/**
 * The account code's fields for a resource whose descriptors are named `<prefix>FundDescriptor` and
 * so on (`budget`, `actual`, `payroll`), or the error that says which code is not a valid TEDS value.
 */
export function accountCode(prefix: 'budget' | 'actual' | 'payroll', a: AccountCode): { fields: EdfiDocument } | { error: string } {
  const type = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  const organization = a.organization.trim();
  if (!/^\d{1,3}$/.test(organization))
    return {
      error: `Organization (E0319) "${a.organization}" is not a number from 000 to 999: correct the account code's organization (campus number, or 999 for the district) in the finance system.`,
    };
  for (const [name, code, pattern] of [
    ['Fund (C145)', a.fund, /^\d{3}$/],
    ['Function (C146)', a.function, /^\d{2}$/],
    ['Object (C159)', a.object, /^\d{4}$/],
    ['Program Intent (C147)', a.programIntent, /^\d{2}$/],
  ] as const)
    if (!pattern.test(code.trim())) return { error: `${name} "${code}" is not a TEDS code: correct the account code in the finance system.` };
  return {
    fields: {
      [`${prefix}FundDescriptor`]: teaDescriptor(`${type}Fund`, a.fund),
      [`${prefix}FunctionDescriptor`]: teaDescriptor(`${type}Function`, a.function),
      [`${prefix}ObjectDescriptor`]: teaDescriptor(`${type}Object`, a.object),
      [`${prefix}ProgramIntentDescriptor`]: teaDescriptor(`${type}ProgramIntent`, a.programIntent),
      organization: Number(organization),
      fiscalYear: fiscalYearDigit(a.fiscalYear),
    },
  };
}

/** A whole-dollar amount within TEDS's bounds, or the error that names the element and its range. */
export function wholeDollars(amount: string, element: string, min: number, max: number): { value: number } | { error: string } {
  const value = Math.round(Number(amount));
  if (!Number.isFinite(value) || value < min || value > max)
    return {
      error: `${element} ${amount} is outside TEDS's range ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (whole dollars): correct it in the finance system.`,
    };
  return { value };
}

/** The SQL columns of a finance line's account code. */
export const ACCOUNT_COLUMNS = `f.fund, f.function, f.object, f.programIntent AS "programIntent", f.organization, f.fiscalYear AS "fiscalYear", f.amount::text AS amount`;

/** The account code shown in a record list, e.g. `199-11-6119-00-001-x11`. */
export const accountDisplay = (a: AccountCode): string => `${a.fund}-${a.function}-${a.object}-${a.organization}-${a.programIntent}`;

/** A district account line (budget or actual) as the finance query reads it. */
export interface AccountLine extends AccountCode {
  readonly lineId: number;
  readonly leaNumber: string;
  readonly amount: string;
  readonly beginDate: string;
  readonly endDate: string | null;
}

const AMOUNT_ELEMENT = { budget: 'Budget Amount (E0321)', actual: 'Actual Amount (E0774)' } as const;

/** An account line by the LEA: its account code, dates (unless the resource is keyed without them) and amount. */
export function accountLineRecord(prefix: 'budget' | 'actual', row: AccountLine, dated: boolean): MappedRecord {
  const code = accountCode(prefix, row);
  const amount = wholeDollars(row.amount, AMOUNT_ELEMENT[prefix], -9_999_999_999, 9_999_999_999);
  const doc = {
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    ...('fields' in code ? code.fields : {}),
    ...(dated ? { beginDate: row.beginDate, ...(row.endDate !== null ? { endDate: row.endDate } : {}) } : {}),
    [`${prefix}Amount`]: 'value' in amount ? amount.value : null,
  };
  const base = { sourceKey: String(row.lineId), schoolId: null, doc, display: { account: accountDisplay(row), amount: row.amount } };
  if ('error' in code) return { ...base, error: code.error };
  if ('error' in amount) return { ...base, error: amount.error };
  return base;
}

/** The account lines of one type and fiscal year (`$1`), narrowed to source keys (`$2`). */
export const accountLinesSql = (lineType: 'budget' | 'actual'): string => `
  SELECT f.lineID AS "lineId", d.number AS "leaNumber", ${ACCOUNT_COLUMNS},
         to_char(f.beginDate, 'YYYY-MM-DD') AS "beginDate", to_char(f.endDate, 'YYYY-MM-DD') AS "endDate"
    FROM financeline f
    JOIN district d ON d.districtID = f.districtID
   WHERE f.lineType = '${lineType}' AND f.fiscalYear = $1
     AND ($2::text[] IS NULL OR f.lineID::text = ANY($2))
   ORDER BY f.lineID`;

export const ACCOUNT_LIST_COLUMNS: readonly ListColumnSpec[] = [
  { id: 'account', label: 'Account Code' },
  { id: 'amount', label: 'Amount' },
];

/** A few hundred lines a district: read whole when the finance lines change. */
export const ACCOUNT_LINE_CHANGES = { objectOfKey: 'whole', tables: { financeline: 'everything', district: 'everything' } } as const;
