import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { TestSubscription } from './push-service.ts';

/**
 * Residents with one Web Push registration each, pointing at the local push service (the
 * endpoint path is `<prefix><n>`). They share one key pair: every push is still encrypted on
 * its own (a fresh ephemeral key and salt each time), and the shared pair can decrypt any.
 */
export async function insertWebPushDevices(
  db: Kysely<Database>,
  service: { origin: string; subscribe(id: string): TestSubscription },
  count: number,
  options: { prefix?: string; municipalityCode?: string; locale?: 'ja' | 'en' } = {},
): Promise<{ keys: TestSubscription; residentIds: string[] }> {
  const prefix = options.prefix ?? 'device-';
  const keys = service.subscribe('shared-keys');
  const rows = await sql<{ id: string }>`
    with r as (
      insert into resident (register_code, name, name_kana, birth_date, sex, address,
                            municipality_code, municipality_name)
      select lpad((floor(random() * 1e11))::bigint::text, 11, '0') || '', 'テスト　' || n,
             'テスト　' || n, '1980-01-01', 'unspecified', '東京都',
             ${options.municipalityCode ?? '131016'}, 'テスト区'
      from generate_series(1, ${count}) n
      on conflict (register_code) do nothing
      returning id
    )
    select id from r`.execute(db);
  const residentIds = rows.rows.map((r) => r.id);
  await sql`
    insert into push_registration (resident_id, channel, token, p256dh, auth, locale)
    select id, 'webpush', ${service.origin} || '/push/' || ${prefix} || ord,
           ${keys.keys.p256dh}, ${keys.keys.auth}, ${options.locale ?? 'ja'}
    from unnest(${residentIds}::uuid[]) with ordinality as t(id, ord)`.execute(db);
  return { keys, residentIds };
}
