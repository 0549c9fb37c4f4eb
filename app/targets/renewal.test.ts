/**
 * Renewal targets at the counter, on a real database: added by hand once per person, found by
 * name (異体字 and kana folded), date of birth in either calendar, notice number; renewed or
 * cleared once, from active only (the database refuses any other move); every step recorded.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestDatabase } from '../../test/database.ts';
import { useRenewalClerk, validRegisterCode } from '../../test/support/renewals.ts';
import {
  addRenewalByHand,
  closeRenewalTarget,
  readRenewal,
  searchRenewals,
} from './renewal.service.server.ts';
import type { RenewalRow } from './renewal-csv.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const clerk = useRenewalClerk(db, ['renewals:manage']);

const person = (overrides: Partial<RenewalRow> = {}): RenewalRow => ({
  residentRegisterCode: validRegisterCode(),
  name: '髙橋 太郎',
  nameKana: 'タカハシ タロウ',
  birthDate: '1980-12-03',
  address: '三浦市城山町1-1',
  noticeNumber: 'N-100',
  certificateExpiresOn: null,
  ...overrides,
});

async function add(city: string, row: RenewalRow): Promise<string> {
  const added = await addRenewalByHand(db(), clerk(), city, row);
  if (added.outcome !== 'added') throw new Error('not added');
  return added.id;
}

const actionsAbout = async (id: string) =>
  (
    await db()
      .selectFrom('auditLog')
      .select(['action', 'actorId', 'details'])
      .where('targetId', '=', id)
      .orderBy('seq')
      .execute()
  ).map((r) => r.action);

describe('renewal targets', () => {
  it('adds a person by hand once: a second active row for the same code is refused', async () => {
    const city = '990101';
    const row = person();
    const id = await add(city, row);
    expect(await addRenewalByHand(db(), clerk(), city, { ...row, name: '別人' })).toEqual({
      outcome: 'duplicate',
      id,
    });
    expect(await actionsAbout(id)).toEqual(['renewals.add']);
    // The database says the same, whoever asks.
    await expect(
      sql`insert into renewal_target (municipality_code, resident_register_code, name, birth_date,
            address, notice_number, origin, created_by)
          values (${city}, ${row.residentRegisterCode}, 'x', '1980-01-01', 'y', 'N-1', 'manual',
                  ${clerk().actorId})`.execute(db()),
    ).rejects.toThrow(/renewal_target_active_code_idx/);
  });

  it('finds by kana in hiragana, by a folded 異体字, by 和暦 birth date and by notice number', async () => {
    const city = '990102';
    const id = await add(city, person({ noticeNumber: 'N-777' }));
    await add(
      city,
      person({ name: '山田 花子', nameKana: 'ヤマダ ハナコ', birthDate: '1990-01-01' }),
    );
    const found = async (search: Parameters<typeof searchRenewals>[3]) => {
      const result = await searchRenewals(db(), clerk(), city, search);
      return result.outcome === 'found' ? result.renewals.map((r) => r.id) : result.outcome;
    };
    expect(await found({ name: 'たかはし' })).toEqual([id]);
    expect(await found({ name: '高橋' })).toEqual([id]);
    expect(await found({ birthDate: 'S55.12.3' })).toEqual([id]);
    expect(await found({ birthDate: '昭和55年12月3日', name: 'タカハシ' })).toEqual([id]);
    expect(await found({ noticeNumber: 'Ｎ－７７７' })).toEqual([id]);
    expect(await found({ birthDate: '2月30日' })).toBe('bad_date');
    expect(await found({})).toBe('empty');
    const searches = await db()
      .selectFrom('auditLog')
      .select(['details'])
      .where('action', '=', 'renewals.search')
      .where('actorId', '=', clerk().actorId)
      .execute();
    expect(searches.length).toBeGreaterThanOrEqual(5);
    // The fields used are recorded, never the values.
    expect(JSON.stringify(searches)).not.toContain('タカハシ');
  });

  it('marks renewed once; a second press changes nothing', async () => {
    const city = '990103';
    const id = await add(city, person());
    const key = { municipalityCode: city, id };
    expect(await closeRenewalTarget(db(), clerk(), key, { state: 'renewed' })).toEqual({
      outcome: 'renewed',
    });
    expect(await closeRenewalTarget(db(), clerk(), key, { state: 'renewed' })).toEqual({
      outcome: 'not_active',
    });
    const read = await readRenewal(db(), clerk(), key);
    expect(read).toMatchObject({ state: 'renewed', renewedByName: expect.any(String) });
    expect(await actionsAbout(id)).toEqual(['renewals.add', 'renewals.renew', 'renewals.view']);
  });

  it('clears with the reason; the person leaves the active list, stays in history, and may come back', async () => {
    const city = '990104';
    const row = person();
    const id = await add(city, row);
    const key = { municipalityCode: city, id };
    expect(
      await closeRenewalTarget(db(), clerk(), key, {
        state: 'cleared',
        reason: 'moved_out',
        note: '横須賀市へ転出',
      }),
    ).toEqual({ outcome: 'cleared' });
    expect(await closeRenewalTarget(db(), clerk(), key, { state: 'renewed' })).toEqual({
      outcome: 'not_active',
    });
    const active = await searchRenewals(db(), clerk(), city, { name: '髙橋', state: 'active' });
    expect(active).toMatchObject({ outcome: 'found', renewals: [] });
    const all = await searchRenewals(db(), clerk(), city, { name: '髙橋' });
    expect(all).toMatchObject({
      outcome: 'found',
      renewals: [{ id, state: 'cleared' }],
    });
    const audit = await db()
      .selectFrom('auditLog')
      .select(['details'])
      .where('targetId', '=', id)
      .where('action', '=', 'renewals.clear')
      .execute();
    expect(audit).toEqual([{ details: { reason: 'moved_out' } }]);
    // Moving back in later is a new active row; the cleared one stays as it was.
    const again = await add(city, row);
    expect(again).not.toBe(id);
    expect(
      await closeRenewalTarget(
        db(),
        clerk(),
        { municipalityCode: city, id: crypto.randomUUID() },
        {
          state: 'renewed',
        },
      ),
    ).toEqual({ outcome: 'not_found' });
  });

  it('the database refuses any move out of renewed or cleared, and a target that starts closed', async () => {
    const city = '990105';
    const id = await add(city, person());
    await closeRenewalTarget(db(), clerk(), { municipalityCode: city, id }, { state: 'renewed' });
    for (const change of [
      sql`update renewal_target set state = 'active', renewed_at = null, renewed_by = null where id = ${id}`,
      sql`update renewal_target set state = 'cleared', clear_reason = 'died', cleared_at = now(),
            cleared_by = renewed_by, renewed_at = null, renewed_by = null where id = ${id}`,
    ])
      await expect(change.execute(db())).rejects.toThrow(/cannot become/);
    await expect(
      sql`insert into renewal_target (municipality_code, resident_register_code, name, birth_date,
            address, notice_number, origin, created_by, state, renewed_at, renewed_by)
          values (${city}, ${validRegisterCode()}, 'x', '1980-01-01', 'y', 'N-1', 'manual',
                  ${clerk().actorId}, 'renewed', now(), ${clerk().actorId})`.execute(db()),
    ).rejects.toThrow(/starts as active/);
    // A clearing without its reason is refused by a CHECK.
    const other = await add(city, person());
    await expect(
      sql`update renewal_target set state = 'cleared', cleared_at = now(), cleared_by = created_by
          where id = ${other}`.execute(db()),
    ).rejects.toThrow(/check/);
  });
});
