/**
 * `tx/payrollExts` (Payroll Transactions): each staff member's payroll for the fiscal year by
 * account code and payroll activity (C018), from the finance system. It refers to the staff member,
 * so it waits (as any record about a person) until their employment or assignment has claimed them.
 */
import type { MappedRecord } from './mapper.js';
import { sqlMapper } from './mapper.js';
import { ACCOUNT_COLUMNS, accountCode, accountDisplay, teaDescriptor, wholeDollars, type AccountCode } from './financeCodes.js';
import { STAFF_COLUMNS, staffDisplay, staffWithoutUniqueId } from './staffs.js';

interface Row extends AccountCode {
  lineId: number;
  leaNumber: string;
  amount: string;
  payrollActivity: string | null;
  beginDate: string;
  endDate: string | null;
  uniqueId: string | null;
  firstName: string;
  lastName: string;
  staffNumber: string;
}

export const PAYROLL_SQL = `
  SELECT f.lineID AS "lineId", d.number AS "leaNumber", ${ACCOUNT_COLUMNS}, f.payrollActivity AS "payrollActivity",
         to_char(f.beginDate, 'YYYY-MM-DD') AS "beginDate", to_char(f.endDate, 'YYYY-MM-DD') AS "endDate",
         sf.stateID AS "uniqueId", sf.firstName AS "firstName", sf.lastName AS "lastName", sf.staffNumber AS "staffNumber"
    FROM financeline f
    JOIN district d ON d.districtID = f.districtID
    JOIN staff sf ON sf.personID = f.personID
   WHERE f.lineType = 'payroll' AND f.fiscalYear = $1
     AND ($2::text[] IS NULL OR f.lineID::text = ANY($2))
   ORDER BY f.lineID`;

export const PAYROLL_ACTIVITY_MISSING =
  "Payroll Activity (C018): the payroll line has no payroll activity code. Enter it in the finance system, then run 'Now – Errors' on Payroll.";

export function payrollRecord(row: Row): MappedRecord {
  const code = accountCode('payroll', row);
  const amount = wholeDollars(row.amount, 'Payroll Amount (E0425)', 0, 999_999);
  const activity = row.payrollActivity?.trim() ?? '';
  const doc = {
    educationOrganizationReference: { educationOrganizationId: Number(row.leaNumber) },
    staffReference: { staffUniqueId: row.uniqueId },
    ...('fields' in code ? code.fields : {}),
    payrollActivityDescriptor: activity !== '' ? teaDescriptor('PayrollActivity', activity) : null,
    beginDate: row.beginDate,
    ...(row.endDate !== null ? { endDate: row.endDate } : {}),
    payrollAmount: 'value' in amount ? amount.value : null,
  };
  const display = { ...staffDisplay(row), account: accountDisplay(row), amount: row.amount };
  const base = { sourceKey: String(row.lineId), schoolId: null, doc, display };
  const missing = staffWithoutUniqueId(row.uniqueId);
  if (missing !== undefined) return { ...base, ...missing };
  if ('error' in code) return { ...base, error: code.error };
  if ('error' in amount) return { ...base, error: amount.error };
  if (activity === '') return { ...base, error: PAYROLL_ACTIVITY_MISSING };
  return base;
}

export const payrollExts = sqlMapper<Row>({
  resource: 'tx/payrollExts',
  sql: PAYROLL_SQL,
  codeSets: [],
  revision: 1,
  listColumns: [...STAFF_COLUMNS, { id: 'account', label: 'Account Code' }, { id: 'amount', label: 'Amount' }],
  changes: {
    objectOfKey: 'whole',
    tables: {
      financeline: 'key',
      staff: { sql: "SELECT lineID::text AS object FROM financeline WHERE lineType = 'payroll' AND personID::text = ANY($1)" },
      district: 'everything',
    },
  },
  params: ['schoolYear', 'sourceKeys'],
  record: payrollRecord,
});
