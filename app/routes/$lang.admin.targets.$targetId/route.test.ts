import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  auditEntries,
  actionArgs,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { importTargets, moveTargetThrough, targetState } from '../../../test/support/targets.ts';
import { action, loader } from './route.tsx';

/**
 * A target's staff page: the permission on the page and on every action, the moves it
 * offers and refuses as answers, the hand-over, and the audit entry of each.
 */
const database = useTestDatabase();
const db = () => database.connection.db;
const context = () => routeContext(db());

let manager: Awaited<ReturnType<typeof staffWithSession>>;
let looker: Awaited<ReturnType<typeof staffWithSession>>;

beforeAll(async () => {
  manager = await staffWithSession(db(), ['targets:manage']);
  looker = await staffWithSession(db(), ['targets:lookup', 'targets:import']);
});

const person = (n: number) => ({
  name: `髙橋　太郎${n}`,
  nameKana: `タカハシ　タロウ`,
  birthDate: 'S55.12.3',
  address: '神奈川県三浦市城山町1-1',
});

const call = (targetId: string, cookie: string) => ({
  path: `/ja/admin/targets/${targetId}`,
  params: { lang: 'ja', targetId },
  cookie,
});

const post = (targetId: string, cookie: string, form: Record<string, string> | FormData) =>
  settle(() => action(actionArgs(context(), { ...call(targetId, cookie), form })));

const auditOf = async (targetId: string) =>
  (await auditEntries(db(), { targetId, actionPrefix: 'targets.' })).map(
    ({ action, outcome, actorId, details }) => ({ action, outcome, actorId, details }),
  );

const stateOf = (targetId: string) => targetState(db(), targetId);

function handoverForm(overrides: Record<string, string> = {}) {
  const form = new FormData();
  const fields: Record<string, string> = {
    intent: 'handover',
    issuedAt: '2026-12-01T10:30',
    faceCheck: 'matched',
    userCertificate: 'on',
    pinSetup: 'on',
    ...overrides,
  };
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('documents', 'driving_licence');
  form.append('documents', 'other');
  form.append('otherDocument', '在留カード');
  return form;
}

describe('a target’s page', () => {
  it('refuses staff without targets:manage on the page and on every action (403), changing nothing', async () => {
    const [target] = await importTargets(database.connection, manager.accountId, [person(1)]);
    const id = target!.id;
    const page = await settle(() => loader(loaderArgs(context(), call(id, looker.cookie))));
    expect(page instanceof Response && page.status).toBe(403);
    const forms: (Record<string, string> | FormData)[] = [
      { intent: 'move', to: 'setup_done', from: 'imported' },
      { intent: 'move', to: 'cancelled', from: 'imported', reason: '申出' },
      handoverForm(),
    ];
    for (const form of forms) {
      const answer = await post(id, looker.cookie, form);
      expect(answer instanceof Response && answer.status).toBe(403);
    }
    expect(await stateOf(id)).toBe('imported');
    expect(await auditOf(id)).toEqual([]);
  });

  it('shows the target, offers only the moves its state allows, and records the view', async () => {
    const [target] = await importTargets(database.connection, manager.accountId, [person(2)]);
    const page = await loader(loaderArgs(context(), call(target!.id, manager.cookie)));
    expect(page.target).toMatchObject({
      name: '髙橋　太郎2',
      state: 'imported',
      birthDate: '昭和55年12月3日（1980年12月3日）',
    });
    expect(page.offered).toEqual(['setup_done', 'cancelled']);
    expect(page.canHandOver).toBe(false);
    expect(await auditOf(target!.id)).toEqual([
      { action: 'targets.view', outcome: 'success', actorId: manager.accountId, details: {} },
    ]);
  });

  it('marks set-up done, keeps who and when in the history, and audits the move', async () => {
    const [target] = await importTargets(database.connection, manager.accountId, [person(3)]);
    const id = target!.id;
    const answer = await post(id, manager.cookie, {
      intent: 'move',
      to: 'setup_done',
      from: 'imported',
    });
    expect(answer).toEqual({
      intent: 'move',
      moved: { outcome: 'moved', from: 'imported', to: 'setup_done' },
    });
    const page = await loader(loaderArgs(context(), call(id, manager.cookie)));
    expect(page.moves).toMatchObject([
      { fromState: 'imported', toState: 'setup_done', reason: null },
    ]);
    expect(page.moves[0]?.movedBy).toMatch(/^職員/);
    expect(page.offered).toEqual(['cancelled']);
    expect((await auditOf(id)).filter((a) => a.action === 'targets.transition')).toEqual([
      {
        action: 'targets.transition',
        outcome: 'success',
        actorId: manager.accountId,
        details: { from: 'imported', to: 'setup_done' },
      },
    ]);
  });

  it('answers a stale page, a forbidden move and a cancel without reason as messages, not errors', async () => {
    const [target] = await importTargets(database.connection, manager.accountId, [person(4)]);
    const id = target!.id;
    await moveTargetThrough(db(), manager.accountId, id, ['setup_done']);
    // The page was opened while the target was still "imported".
    expect(
      await post(id, manager.cookie, { intent: 'move', to: 'setup_done', from: 'imported' }),
    ).toMatchObject({
      init: { status: 409 },
      data: { error: 'changed', refused: { outcome: 'changed', state: 'setup_done' } },
    });
    expect(
      await post(id, manager.cookie, { intent: 'move', to: 'reissued', from: 'setup_done' }),
    ).toMatchObject({
      init: { status: 409 },
      data: { error: 'not_allowed', refused: { from: 'setup_done' } },
    });
    expect(
      await post(id, manager.cookie, {
        intent: 'move',
        to: 'cancelled',
        from: 'setup_done',
        reason: '  ',
      }),
    ).toMatchObject({ init: { status: 400 }, data: { error: 'reason_required' } });
    expect(await stateOf(id)).toBe('setup_done');

    expect(
      await post(id, manager.cookie, {
        intent: 'move',
        to: 'cancelled',
        from: 'setup_done',
        reason: '本人の申出',
      }),
    ).toMatchObject({ moved: { to: 'cancelled' } });
    const page = await loader(loaderArgs(context(), call(id, manager.cookie)));
    expect(page.moves.at(-1)).toMatchObject({ toState: 'cancelled', reason: '本人の申出' });
    expect(page.offered).toEqual(['reissued']);
  });

  it('records the hand-over of a booked target once, refuses a face that does not match, and audits each', async () => {
    const [target] = await importTargets(database.connection, manager.accountId, [person(5)]);
    const id = target!.id;
    // Not booked yet: the form is not offered, and a posted one is refused.
    expect(await post(id, manager.cookie, handoverForm())).toMatchObject({
      init: { status: 409 },
      data: { error: 'not_booked', state: 'imported' },
    });
    await moveTargetThrough(db(), manager.accountId, id, [
      'setup_done',
      'letter_printed',
      'booked',
    ]);
    expect((await loader(loaderArgs(context(), call(id, manager.cookie)))).canHandOver).toBe(true);

    expect(await post(id, manager.cookie, handoverForm({ issuedAt: '' }))).toMatchObject({
      init: { status: 400 },
      data: { result: { error: { issuedAt: ['handover.errors.issuedAt'] } } },
    });
    expect(
      await post(id, manager.cookie, handoverForm({ faceCheck: 'not_matched' })),
    ).toMatchObject({ init: { status: 409 }, data: { error: 'face_not_matched' } });
    expect(await stateOf(id)).toBe('booked');

    expect(await post(id, manager.cookie, handoverForm())).toMatchObject({
      intent: 'handover',
      done: true,
    });
    const clerk2 = await staffWithSession(db(), ['targets:manage']);
    expect(await post(id, clerk2.cookie, handoverForm())).toMatchObject({
      init: { status: 409 },
      data: { error: 'already_issued' },
    });

    const page = await loader(loaderArgs(context(), call(id, manager.cookie)));
    expect(page.target.state).toBe('issued');
    expect(page.handovers).toMatchObject([
      {
        identityDocuments: ['driving_licence', 'other:在留カード'],
        faceCheck: 'matched',
        userCertificate: true,
        signingCertificate: false,
        pinSetup: true,
      },
    ]);
    expect(page.handovers[0]?.issuedAt).toContain('2026年12月1日');
    const handovers = (await auditOf(id)).filter((a) => a.action === 'targets.handover');
    expect(handovers.map((a) => a.outcome)).toEqual(['denied', 'success']);
  });

  it('is 404 for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const page = await settle(() => loader(loaderArgs(context(), call(id, manager.cookie))));
      expect(page instanceof Response && page.status).toBe(404);
    }
  });
});
