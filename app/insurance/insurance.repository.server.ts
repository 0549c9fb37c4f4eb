import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { CopaymentPercent } from './insurance.ts';

export type QualificationRow = {
  residentId: string;
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string | null;
  qualifiedFrom: string;
  qualifiedUntil: string | null;
  copaymentPercent: CopaymentPercent;
  updatedAt: Date;
};

export async function findQualificationsByResident(
  db: Db | Transaction<Database>,
  residentId: string,
): Promise<QualificationRow[]> {
  return db
    .selectFrom('insuranceQualification')
    .selectAll()
    .where('residentId', '=', residentId)
    .orderBy('qualifiedFrom', 'desc')
    .orderBy('insurerNumber')
    .execute();
}

/** Resident ids for register codes; codes with no resident are absent from the map. */
export async function findResidentIdsByRegisterCode(
  trx: Transaction<Database>,
  registerCodes: string[],
): Promise<Map<string, string>> {
  if (registerCodes.length === 0) return new Map();
  const rows = await trx
    .selectFrom('resident')
    .select(['id', 'registerCode'])
    .where('registerCode', '=', sql<string>`any(${registerCodes}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.registerCode, r.id]));
}

export type QualificationInput = Omit<QualificationRow, 'updatedAt'>;

/**
 * Inserts or updates qualifications by (resident, insurer, qualified-from). A row whose
 * values are already stored is left alone. Counts what was added and what was changed.
 */
export async function upsertQualifications(
  trx: Transaction<Database>,
  rows: QualificationInput[],
): Promise<{ added: number; updated: number }> {
  let added = 0;
  let updated = 0;
  // 10 parameters a row: 1,000 rows stay well under Postgres's 65,535-parameter limit.
  for (let i = 0; i < rows.length; i += 1000) {
    const result = await trx
      .insertInto('insuranceQualification')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc
          .columns(['residentId', 'insurerNumber', 'qualifiedFrom'])
          .doUpdateSet((eb) => ({
            insurerName: eb.ref('excluded.insurerName'),
            symbol: eb.ref('excluded.symbol'),
            number: eb.ref('excluded.number'),
            branch: eb.ref('excluded.branch'),
            qualifiedUntil: eb.ref('excluded.qualifiedUntil'),
            copaymentPercent: eb.ref('excluded.copaymentPercent'),
            updatedAt: sql`now()`,
          }))
          .where(
            sql<boolean>`(insurance_qualification.insurer_name, insurance_qualification.symbol,
              insurance_qualification.number, insurance_qualification.branch,
              insurance_qualification.qualified_until, insurance_qualification.copayment_percent)
              is distinct from (excluded.insurer_name, excluded.symbol, excluded.number,
              excluded.branch, excluded.qualified_until, excluded.copayment_percent)`,
          ),
      )
      // xmax is 0 on a freshly inserted row version and set on an updated one.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    for (const row of result) {
      if (row.inserted) added++;
      else updated++;
    }
  }
  return { added, updated };
}

export async function findResidentIdByRegisterCode(
  db: Db,
  registerCode: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('resident')
    .select('id')
    .where('registerCode', '=', registerCode)
    .executeTakeFirst();
  return row?.id;
}
