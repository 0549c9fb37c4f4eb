/**
 * The reservation letters page, its print page and the booking site's sign-in routes, called
 * directly with a real database: permissions (403 on loader and action), the audit rows of a
 * print and a reissue, and the QR code of a printed letter signing in until its reissue.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  auditEntries,
  actionArgs,
  inCity,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import {
  DEFAULT_CITY,
  giveCredentials,
  insertTargets,
  targetRows,
} from '../../../test/support/targets.ts';
import { stageTargetFile } from '../../../test/support/target-import.ts';
import { confirmTargetImport } from '../../targets/target-import.service.server.ts';
import type { AppContext } from '../../context.ts';
import { loader, action } from './route.tsx';
import { loader as printLoader } from '../$lang.admin_.targets.letters.$batchId.print.tsx';
import { loader as qrLoader } from '../$lang.reservations.qr.tsx';
import {
  loader as bookingLoader,
  action as bookingAction,
} from '../$lang.reservations._index/route.tsx';
import {
  loader as bookingSignInLoader,
  action as bookingSignInAction,
} from '../$lang.reservations.sign-in/route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = DEFAULT_CITY;
const OTHER = '990401';
let context: AppContext;
let clerk: { accountId: string; cookie: string };
let other: { cookie: string };
let targetIds: string[];

beforeAll(async () => {
  context = routeContext(db());
  clerk = await staffWithSession(db(), ['targets:letters']);
  other = await staffWithSession(db(), ['targets:manage', 'targets:lookup']);
  targetIds = await insertTargets(db(), { city: CITY, count: 2, state: 'setup_done' });
});

const letters = { path: '/ja/admin/targets/letters', params: { lang: 'ja' } };
const byState = { by: 'state', state: 'setup_done', intent: 'print' };

const statusOf = (r: unknown) => (r instanceof Response ? r.status : 200);
const auditOf = async (action: string, actorId: string) =>
  (await auditEntries(db(), { action, actorId })).map(({ targetId, details }) => ({
    targetId,
    details,
  }));

describe('reservation letters page', () => {
  it('is refused (403) without targets:letters, on loader, action and print page', async () => {
    const page = await settle(() =>
      loader(
        loaderArgs(context, {
          ...letters,
          path: `${letters.path}?by=state&state=setup_done`,
          cookie: other.cookie,
        }),
      ),
    );
    expect(statusOf(page)).toBe(403);
    const post = await settle(() =>
      action(actionArgs(context, { ...letters, cookie: other.cookie, form: byState })),
    );
    expect(statusOf(post)).toBe(403);
    const reissue = await settle(() =>
      action(
        actionArgs(context, {
          ...letters,
          cookie: other.cookie,
          form: { intent: 'reissue', targetId: targetIds[0]! },
        }),
      ),
    );
    expect(statusOf(reissue)).toBe(403);
    const print = await settle(() =>
      printLoader(
        loaderArgs(context, {
          path: '/ja/admin/targets/letters/00000000-0000-4000-8000-000000000000/print',
          params: { lang: 'ja', batchId: '00000000-0000-4000-8000-000000000000' },
          cookie: other.cookie,
        }),
      ),
    );
    expect(statusOf(print)).toBe(403);
    const states = await targetRows(db(), targetIds);
    expect(states.map((s) => s.state)).toEqual(['setup_done', 'setup_done']);
  });

  it('previews a choice, prints it (audited once), and the print page shows each letter', async () => {
    const page = await loader(
      loaderArgs(context, {
        ...letters,
        path: `${letters.path}?by=state&state=setup_done`,
        cookie: clerk.cookie,
      }),
    );
    expect(page.preview).toMatchObject({ printable: 2, withCredentials: 0, notReady: 0 });

    const printed = await settle(() =>
      action(actionArgs(context, { ...letters, cookie: clerk.cookie, form: byState })),
    );
    if (!(printed instanceof Response)) throw new Error('no redirect');
    expect(printed.status).toBe(302);
    const location = printed.headers.get('Location')!;
    const batchId = location.match(/letters\/([0-9a-f-]{36})\/print$/)![1]!;

    const audit = await auditOf('targets.letters_print', clerk.accountId);
    expect(audit).toEqual([
      {
        targetId: batchId,
        details: expect.objectContaining({ count: 2, created: 2, moved: 2 }),
      },
    ]);

    const print = await printLoader(
      loaderArgs(context, {
        path: location,
        params: { lang: 'ja', batchId },
        cookie: clerk.cookie,
      }),
    );
    if (!print.printable) throw new Error('not printable');
    expect(print.letters).toHaveLength(2);
    const ids = await targetRows(db(), targetIds);
    for (const row of ids) {
      expect(row.state).toBe('letter_printed');
      const letter = print.letters.find((l) => l.targetId === row.id)!;
      expect(letter.code.replace(/-/g, '')).toBe(row.reservationId);
      expect(letter.entryUrl).toBe('http://localhost:3000/ja/reservations');
    }
  });

  it('reissues a password (audited) and the old QR code is refused', async () => {
    const again = await settle(() =>
      action(
        actionArgs(context, {
          ...letters,
          cookie: clerk.cookie,
          form: { by: 'target', targetId: targetIds[0]!, intent: 'print' },
        }),
      ),
    );
    const location = (again as Response).headers.get('Location')!;
    const batchId = location.match(/letters\/([0-9a-f-]{36})\/print$/)![1]!;
    const print = await printLoader(
      loaderArgs(context, {
        path: location,
        params: { lang: 'ja', batchId },
        cookie: clerk.cookie,
      }),
    );
    if (!print.printable) throw new Error('not printable');
    const qr = new URL(print.letters[0]!.qrTarget);

    const found = await loader(
      loaderArgs(context, {
        ...letters,
        path: `${letters.path}?reservationId=${print.letters[0]!.code}`,
        cookie: clerk.cookie,
      }),
    );
    expect(found.reissue?.target).toMatchObject({ id: targetIds[0] });

    const reissued = await action(
      actionArgs(context, {
        ...letters,
        cookie: clerk.cookie,
        form: { intent: 'reissue', targetId: targetIds[0]! },
      }),
    );
    expect(reissued).toMatchObject({ reissued: { targetId: targetIds[0], version: 1 } });
    const audit = await auditOf('targets.credentials_reissue', clerk.accountId);
    expect(audit).toEqual([{ targetId: targetIds[0], details: { version: 1, endedSessions: 0 } }]);

    const refused = await settle(() =>
      qrLoader(loaderArgs(context, { path: qr.pathname + qr.search, params: { lang: 'ja' } })),
    );
    expect(refused).toMatchObject({ init: { status: 400 }, data: { reason: 'refused' } });
  });
});

describe("another city's letters", () => {
  it('are out of reach: its imports, targets, batches and reservation IDs', async () => {
    const actor = {
      actorType: 'staff' as const,
      actorId: clerk.accountId,
      onBehalfOfResidentId: null,
      ip: null,
    };
    const staged = await stageTargetFile(database.connection, actor, {
      municipalityCode: OTHER,
      fileName: 'other-city.csv',
      bytes: new TextEncoder().encode(
        '申請書ID,製造管理番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所\r\n' +
          'X0001,MN-X0001,他市 一,,1970-01-01,男,,横須賀市\r\n',
      ),
    });
    if (staged.outcome !== 'staged') throw new Error('not staged');
    const theirImport = staged.importId;
    await confirmTargetImport(db(), actor, { municipalityCode: OTHER, importId: theirImport });
    const [theirs] = await insertTargets(db(), { city: OTHER, count: 1, state: 'setup_done' });
    const theirCode = await giveCredentials(db(), context.secrets, clerk.accountId, theirs!, OTHER);
    const [ours] = await insertTargets(db(), { city: CITY, count: 1, state: 'setup_done' });

    // An old address naming the other city shows the clerk's own: not its imports or counts.
    const page = await loader(
      loaderArgs(context, {
        ...letters,
        path: `${letters.path}?city=${OTHER}&by=state&state=setup_done`,
        cookie: clerk.cookie,
      }),
    );
    expect(page.imports.map((i) => i.id)).not.toContain(theirImport);
    expect(page.preview).toMatchObject({ printable: 1 });

    const status = async (run: () => Promise<unknown>) => {
      const answer = await settle(run);
      return answer instanceof Response ? answer.status : 200;
    };
    const post = (form: Record<string, string>) =>
      status(() => action(actionArgs(context, { ...letters, cookie: clerk.cookie, form })));
    expect({
      preview: await status(() =>
        loader(
          loaderArgs(context, {
            ...letters,
            path: `${letters.path}?by=import&importId=${theirImport}`,
            cookie: clerk.cookie,
          }),
        ),
      ),
      printImport: await post({ by: 'import', importId: theirImport, intent: 'print' }),
      printTarget: await post({ by: 'target', targetId: theirs!, intent: 'print' }),
      reissue: await post({ intent: 'reissue', targetId: theirs! }),
    }).toEqual({ preview: 404, printImport: 404, printTarget: 404, reissue: 404 });

    // Their reservation ID is not found here (the lookup is recorded as such).
    const lookup = await loader(
      loaderArgs(context, {
        ...letters,
        path: `${letters.path}?reservationId=${theirCode}`,
        cookie: clerk.cookie,
      }),
    );
    expect(lookup.reissue).toMatchObject({ error: 'notFound', target: null });

    // A batch printed in the other city's Madoguchi, by the same person: not found here.
    const printed = (await settle(() =>
      action(
        actionArgs(inCity(context, OTHER), {
          ...letters,
          cookie: clerk.cookie,
          form: { by: 'target', targetId: theirs!, intent: 'print' },
        }),
      ),
    )) as Response;
    const location = printed.headers.get('Location')!;
    const batchId = location.match(/letters\/([0-9a-f-]{36})\/print$/)![1]!;
    const call = { path: location, params: { lang: 'ja', batchId }, cookie: clerk.cookie };
    expect(await status(() => printLoader(loaderArgs(context, call)))).toBe(404);
    expect(await status(() => printLoader(loaderArgs(inCity(context, OTHER), call)))).toBe(200);

    // Nothing of theirs moved or was reissued from here; ours is untouched too.
    expect(
      (await auditOf('targets.credentials_reissue', clerk.accountId)).map((a) => a.targetId),
    ).not.toContain(theirs);
    expect((await targetRows(db(), [ours!]))[0]!.state).toBe('setup_done');
  });
});

describe('booking sign-in routes', () => {
  it('signs in with a QR code, shows who, and signs out', async () => {
    const [id] = await insertTargets(db(), { city: CITY, count: 1, state: 'setup_done' });
    const printed = (await settle(() =>
      action(
        actionArgs(context, {
          ...letters,
          cookie: clerk.cookie,
          form: { by: 'target', targetId: id!, intent: 'print' },
        }),
      ),
    )) as Response;
    const location = printed.headers.get('Location')!;
    const batchId = location.match(/letters\/([0-9a-f-]{36})\/print$/)![1]!;
    const print = await printLoader(
      loaderArgs(context, {
        path: location,
        params: { lang: 'ja', batchId },
        cookie: clerk.cookie,
      }),
    );
    if (!print.printable) throw new Error('not printable');
    const qr = new URL(print.letters[0]!.qrTarget);
    const signedIn = (await settle(() =>
      qrLoader(loaderArgs(context, { path: qr.pathname + qr.search, params: { lang: 'ja' } })),
    )) as Response;
    expect(signedIn.status).toBe(302);
    const cookie = signedIn.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^mdg_booking=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const booking = {
      path: '/ja/reservations',
      params: { lang: 'ja' },
      cookie: cookie.split(';')[0],
    };
    const page = await bookingLoader(loaderArgs(context, booking));
    expect(page).toMatchObject({ reservationId: print.letters[0]!.code });
    // Signed in, the sign-in page sends the resident on to the booking site.
    const onwards = (await settle(() =>
      bookingSignInLoader(loaderArgs(context, { ...booking, path: '/ja/reservations/sign-in' })),
    )) as Response;
    expect(onwards.headers.get('Location')).toBe('/ja/reservations');

    const out = (await settle(() =>
      bookingAction(actionArgs(context, { ...booking, form: { intent: 'sign-out' } })),
    )) as Response;
    expect(out.headers.get('Set-Cookie')).toMatch(/^mdg_booking=; .*Max-Age=0/);
    expect(out.headers.get('Location')).toBe('/ja/reservations/sign-in?signedOut=1');
    // The ended session no longer opens the booking site: its page sends to sign-in.
    const after = (await settle(() => bookingLoader(loaderArgs(context, booking)))) as Response;
    expect(after.status).toBe(302);
    expect(after.headers.get('Location')).toBe('/ja/reservations/sign-in');
  });

  it('answers a wrong password with a form error and no cookie', async () => {
    const answer = await settle(() =>
      bookingSignInAction(
        actionArgs(context, {
          path: '/en/reservations/sign-in',
          params: { lang: 'en' },
          form: { reservationId: '1234567897', password: 'WRONGPW1' },
        }),
      ),
    );
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: { result: { error: { '': ['signIn.errors.invalid'] } } },
    });
  });
});
