import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  actionArgs,
  auditEntries,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { action, loader } from './route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
let manager: Awaited<ReturnType<typeof staffWithSession>>;
let other: Awaited<ReturnType<typeof staffWithSession>>;

beforeAll(async () => {
  manager = await staffWithSession(db(), ['reservations:manage']);
  other = await staffWithSession(db(), ['targets:manage']);
});

const path = '/ja/admin/reservations/rules';
const post = (cookie: string, form: Record<string, string>) =>
  settle(() =>
    action(actionArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie, form })),
  );
const rules = async () => {
  const page = await loader(
    loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie: manager.cookie }),
  );
  return page.rules;
};
const base = {
  kind: 'cert_renewal',
  deadlineWorkingDays: '2',
  deadlineTime: '16:30',
  maxPeople: '3',
  horizonDays: '30',
};

describe('the booking rules page', () => {
  it('refuses staff without reservations:manage (403), on the page and its action', async () => {
    const page = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie: other.cookie }),
      ),
    );
    expect((page as Response).status).toBe(403);
    const saved = await post(other.cookie, base);
    expect((saved as Response).status).toBe(403);
  });

  it('shows the defaults until saved, then saves a kind’s rules and questions (audited)', async () => {
    expect((await rules()).find((r) => r.kind === 'cert_renewal')).toMatchObject({
      deadlineWorkingDays: 1,
      deadlineTime: '17:00',
      questions: [],
    });
    const first = await post(manager.cookie, {
      ...base,
      'questions[0].id': '',
      'questions[0].type': 'choice',
      'questions[0].required': 'on',
      'questions[0].labelJa': '来庁方法',
      'questions[0].labelEn': 'How will you come?',
      'questions[0].choicesJa': '徒歩\r\n車',
      'questions[0].choicesEn': 'On foot\r\nBy car',
      'questions[1].labelJa': '',
      'questions[1].labelEn': '',
    });
    expect(first).toMatchObject({ kind: 'cert_renewal', done: true });
    const saved = (await rules()).find((r) => r.kind === 'cert_renewal')!;
    expect(saved).toMatchObject({
      deadlineWorkingDays: 2,
      deadlineTime: '16:30',
      maxPeople: 3,
      horizonDays: 30,
    });
    expect(saved.questions).toHaveLength(1);
    const [q] = saved.questions;
    expect(q).toMatchObject({
      type: 'choice',
      required: true,
      label: { ja: '来庁方法', en: 'How will you come?' },
      choices: [
        { ja: '徒歩', en: 'On foot' },
        { ja: '車', en: 'By car' },
      ],
    });
    expect(q!.id).toMatch(/^q-[0-9a-f]{12}$/);
    // The other kind keeps its defaults.
    expect((await rules()).find((r) => r.kind === 'card_pickup')?.questions).toEqual([]);
    const entries = await auditEntries(db(), {
      action: 'reservations.rules_save',
      actorId: manager.accountId,
    });
    expect(entries).toHaveLength(1);
  });

  it('keeps saved question ids and never gives a new question a saved or a forged one', async () => {
    const [saved] = (await rules()).find((r) => r.kind === 'cert_renewal')!.questions;
    // The first question removed, a new one written first with the old id forged, and another.
    await post(manager.cookie, {
      ...base,
      'questions[0].id': 'q1',
      'questions[0].type': 'yesno',
      'questions[0].labelJa': '車いすを使いますか',
      'questions[0].labelEn': 'Do you use a wheelchair?',
      'questions[1].id': saved!.id,
      'questions[1].type': 'choice',
      'questions[1].labelJa': '来庁方法',
      'questions[1].labelEn': 'How will you come?',
      'questions[1].choicesJa': '徒歩\n車\nバス',
      'questions[1].choicesEn': 'On foot\nBy car\nBy bus',
      'questions[2].id': saved!.id,
      'questions[2].type': 'text',
      'questions[2].labelJa': 'ご連絡事項',
      'questions[2].labelEn': 'Anything else',
    });
    const questions = (await rules()).find((r) => r.kind === 'cert_renewal')!.questions;
    expect(questions.map((q) => q.label.en)).toEqual([
      'Do you use a wheelchair?',
      'How will you come?',
      'Anything else',
    ]);
    expect(questions[1]!.id).toBe(saved!.id);
    expect(questions[0]!.id).not.toBe('q1');
    expect(new Set(questions.map((q) => q.id)).size).toBe(3);
  });

  it('says what is wrong next to each field and saves nothing', async () => {
    const before = await rules();
    const bad = await post(manager.cookie, {
      ...base,
      deadlineTime: '25:00',
      maxPeople: '0',
      'questions[0].type': 'choice',
      'questions[0].labelJa': '来庁方法',
      'questions[0].labelEn': '',
      'questions[0].choicesJa': '徒歩',
    });
    const answer = (bad as unknown as { data: unknown; init: { status: number } }).data;
    expect((bad as unknown as { init: { status: number } }).init.status).toBe(400);
    expect(answer).toMatchObject({ kind: 'cert_renewal', done: false });
    const errors = (answer as { result: { error: Record<string, string[]> } }).result.error;
    expect(errors).toMatchObject({
      deadlineTime: ['errors.time'],
      maxPeople: ['errors.range'],
      'questions[0].labelEn': ['errors.required'],
      'questions[0].choicesJa': ['errors.choices'],
    });
    expect(await rules()).toEqual(before);
  });
});
