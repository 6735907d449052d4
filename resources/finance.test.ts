import { describe, expect, it } from 'vitest';
import { accountCode, accountLineRecord, fiscalYearDigit, wholeDollars } from './financeCodes.js';
import { actualExts, priorYearActualExts } from './actualExts.js';
import { PAYROLL_ACTIVITY_MISSING, payrollRecord } from './payrollExts.js';
import { contractedFte, contractedFteRecord } from './contractedInstructionalStaffFTEExts.js';
import { FISCAL_AGENT_NOT_A_DISTRICT_ID, ssaRecord } from './ssaOrgAssociationExts.js';

const account = { fund: '199', function: '11', object: '6119', programIntent: '11', organization: '001', fiscalYear: 2025 };

describe('PEIMS account codes in the Texas Finance resources', () => {
  it('sends the fiscal year as its last digit (E0974) and the organization as a number 0..999 (E0319)', () => {
    expect(fiscalYearDigit(2025)).toBe(5);
    expect(fiscalYearDigit(2030)).toBe(0);
    expect(accountCode('budget', account)).toEqual({
      fields: {
        budgetFundDescriptor: 'uri://tea.texas.gov/BudgetFundDescriptor#199',
        budgetFunctionDescriptor: 'uri://tea.texas.gov/BudgetFunctionDescriptor#11',
        budgetObjectDescriptor: 'uri://tea.texas.gov/BudgetObjectDescriptor#6119',
        budgetProgramIntentDescriptor: 'uri://tea.texas.gov/BudgetProgramIntentDescriptor#11',
        organization: 1,
        fiscalYear: 5,
      },
    });
  });

  it('refuses codes that are not TEDS codes, naming the element', () => {
    expect(accountCode('payroll', { ...account, organization: 'A01' })).toEqual({ error: expect.stringMatching(/^Organization \(E0319\) "A01"/) as string });
    expect(accountCode('actual', { ...account, object: '61' })).toEqual({ error: expect.stringMatching(/^Object \(C159\) "61"/) as string });
  });

  it("rounds to whole dollars and holds an amount outside TEDS's range", () => {
    expect(wholeDollars('1234.56', 'Payroll Amount (E0425)', 0, 999_999)).toEqual({ value: 1235 });
    expect(wholeDollars('1000000', 'Payroll Amount (E0425)', 0, 999_999)).toEqual({
      error: expect.stringContaining("outside TEDS's range 0 to 999,999") as string,
    });
    expect(wholeDollars('-5', 'Payroll Amount (E0425)', 0, 999_999)).toHaveProperty('error');
  });
});

describe('Account Budgets, Account Actuals and Payroll', () => {
  const line = { ...account, lineId: 3, leaNumber: '149913', amount: '250000', beginDate: '2024-07-01', endDate: '2025-06-30' };

  it('sends a budget line by the LEA with its dates and amount', () => {
    expect(accountLineRecord('budget', line, true).doc).toEqual({
      educationOrganizationReference: { educationOrganizationId: 149913 },
      ...(accountCode('budget', account) as { fields: object }).fields,
      beginDate: '2024-07-01',
      endDate: '2025-06-30',
      budgetAmount: 250000,
    });
  });

  it('sends actuals dated for TEDS 2024.2.1 (actualExts), and undated from 2025.2.1 (priorYearActualExts)', () => {
    expect([actualExts.resource, priorYearActualExts.resource]).toEqual(['tx/actualExts', 'tx/priorYearActualExts']);
    expect(accountLineRecord('actual', line, true).doc).toMatchObject({
      beginDate: '2024-07-01',
      endDate: '2025-06-30',
      actualAmount: 250000,
      actualFundDescriptor: 'uri://tea.texas.gov/ActualFundDescriptor#199',
    });
    expect(accountLineRecord('actual', line, false).doc).not.toHaveProperty('beginDate');
  });

  it("sends a staff member's payroll with its activity, and holds a line without one", () => {
    const p = { ...line, payrollActivity: '01', amount: '61000', uniqueId: '3000000123', firstName: 'Ada', lastName: 'Reyes', staffNumber: 'E000123' };
    expect(payrollRecord(p).doc).toMatchObject({
      staffReference: { staffUniqueId: '3000000123' },
      payrollActivityDescriptor: 'uri://tea.texas.gov/PayrollActivityDescriptor#01',
      payrollFundDescriptor: 'uri://tea.texas.gov/PayrollFundDescriptor#199',
      payrollAmount: 61000,
      fiscalYear: 5,
    });
    expect(payrollRecord({ ...p, payrollActivity: null }).error).toBe(PAYROLL_ACTIVITY_MISSING);
  });
});

describe('Contracted Instructional FTEs and SSA Organization Associations', () => {
  it("keeps FTEs to TEDS's 0.01..999.99, two decimals", () => {
    expect(contractedFte('2.255')).toEqual({ value: 2.26 });
    expect(contractedFte('0')).toHaveProperty('error');
    expect(contractedFte('1000')).toHaveProperty('error');
    const r = contractedFteRecord({
      contractedFteId: 1,
      schoolId: 2,
      leaNumber: '149913',
      programIntent: '23',
      fte: '3.5',
      edFiSchoolNumber: 149913001,
      stateSchoolNumber: null,
    });
    expect(r.doc).toEqual({
      educationOrganizationReference: { educationOrganizationId: 149913 },
      schoolReference: { schoolId: 149913001 },
      ciStaffProgramIntentDescriptor: 'uri://tea.texas.gov/CIStaffProgramIntentDescriptor#23',
      totalContractedInstrStaffFTE: 3.5,
    });
  });

  it("sends the district's SSA with its type and fiscal agent, and names a fiscal agent that is not a county-district number", () => {
    const row = { ssaId: 1, leaNumber: '149913', ssaType: '23', fiscalAgentNumber: '149950', name: 'Coop' };
    expect(ssaRecord(row).doc).toEqual({
      educationOrganizationReference: { educationOrganizationId: 149913 },
      ssaTypeDescriptor: 'uri://tea.texas.gov/SSATypeDescriptor#23',
      fiscalAgentDistrictId: 149950,
    });
    expect(ssaRecord({ ...row, fiscalAgentNumber: '1499' }).error).toBe(FISCAL_AGENT_NOT_A_DISTRICT_ID);
  });
});
