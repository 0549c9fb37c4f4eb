/**
 * The weekly operations summary through the real outbox, a real pg-boss and a real SMTP server
 * (smtp-server, parsed by mailparser): who receives it, in which language, with which figures,
 * and that a second run of the Monday job sends nothing new.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { mailRows, useQueues, useSmtpSender } from '../../test/support/mail.ts';
import { routeContext, staffWithSession } from '../../test/support/routes.ts';
import { completeSignIn } from '../identity/identity.service.server.ts';
import { deliverMail } from '../mail/mail.service.server.ts';
import { countRequest, writeRequestCounts } from './request-day.server.ts';
import { insertOperationRun } from './operation-run.repository.server.ts';
import { runOperationsReports } from './operations-report.service.server.ts';
import { weeklyAlerts } from './weekly-summary-mail.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;
const queues = useQueues(database);
const ORIGIN = 'https://madoguchi.city.miura.example.jp';
const mail = useSmtpSender(ORIGIN);

// A week in Japan from Monday 11 January 2027 to Sunday 17 January, and the Monday after it
// at 00:20 (when the job runs); the Tuesday after that, when only a daily report is due.
const wednesday = new Date('2027-01-13T03:00:00Z');
const monday = new Date('2027-01-17T15:20:00Z');
const tuesday = new Date('2027-01-18T15:20:00Z');
const WEEK = '2027-01-11';

async function deliverQueued() {
  for (const row of await mailRows(db(), 'operations.weekly', `operations.weekly:${WEEK}:`))
    if (row.status === 'queued') await deliverMail(db(), mail.sender, row.id);
}

describe('the weekly operations summary mail', () => {
  it('reaches each operations reader once, in their language, with the week’s figures and alerts', async () => {
    const reader = await staffWithSession(db(), ['operations:read']);
    const other = await staffWithSession(db(), ['audit:read']);
    // An operator who signed in on the English admin pages reads the summary in English.
    const english = await staffWithSession(db(), ['operations:read', 'audit:read']);
    await completeSignIn(
      routeContext(db()),
      new Request(`${ORIGIN}/en/admin/sign-in`, { method: 'POST' }),
      { accountId: english.accountId, kind: 'staff' },
      'passkey',
    );
    for (let i = 0; i < 47; i++) countRequest(db(), 200, 20, wednesday);
    for (let i = 0; i < 3; i++) countRequest(db(), 503, 3000, wednesday);
    await writeRequestCounts(db());
    await insertOperationRun(db(), {
      kind: 'backup',
      startedAt: wednesday,
      finishedAt: wednesday,
      ok: false,
      backupId: null,
      detail: 'write ENOSPC: no space left on device',
    });

    const first = await runOperationsReports(
      db(),
      { boss: queues.boss, publicOrigin: ORIGIN },
      monday,
    );
    expect(first.made.map((r) => r.kind)).toEqual(['daily', 'weekly']);
    expect(first.mailed).toBeGreaterThanOrEqual(1);
    await deliverQueued();

    const toReader = mail.smtp.received.filter(
      (m) => m.to && 'text' in m.to && m.to.text.includes(reader.email),
    );
    expect(toReader).toHaveLength(1);
    const message = toReader[0]!;
    expect(message.subject).toBe('窓口 週次運用サマリー：2027年1月11日〜2027年1月17日（要確認）');
    expect(message.text).toContain(`${reader.displayName} 様`);
    expect(message.text).toContain('リクエスト: 50');
    expect(message.text).toContain('サーバーエラー（5xx）: 3');
    expect(message.text).toContain('95 %の応答: 5,000 ミリ秒以内');
    expect(message.text).toContain('バックアップ: 取得 0 回、失敗 1 回');
    expect(message.text).toContain('リクエストの2 %超がサーバーエラー（5xx）でした。');
    expect(message.text).toContain('バックアップが失敗しました。');
    expect(message.text).toContain(`${ORIGIN}/ja/admin/operations/reports`);
    expect(message.html).toContain('<html lang="ja">');
    expect(message.html).toContain(`href="${ORIGIN}/ja/admin/operations/reports"`);
    const toEnglish = mail.smtp.received.filter((m) =>
      JSON.stringify(m.to).includes(english.email),
    );
    expect(toEnglish).toHaveLength(1);
    expect(toEnglish[0]!.subject).toBe(
      'Madoguchi weekly operations summary: 11 January 2027 to 17 January 2027 (needs attention)',
    );
    expect(toEnglish[0]!.text).toContain('Requests: 50');
    expect(toEnglish[0]!.text).toContain('Backups: 0 taken, 1 failed');
    expect(toEnglish[0]!.text).toContain(`${ORIGIN}/en/admin/operations/reports`);
    expect(toEnglish[0]!.html).toContain('<html lang="en">');
    // A staff member without operations:read gets nothing.
    expect(mail.smtp.received.some((m) => JSON.stringify(m.to).includes(other.email))).toBe(false);

    // The job retried, or run by hand: nothing new is queued or sent.
    const before = mail.smtp.received.length;
    const again = await runOperationsReports(
      db(),
      { boss: queues.boss, publicOrigin: ORIGIN },
      monday,
    );
    expect(again.mailed).toBe(0);
    await deliverQueued();
    expect(mail.smtp.received.length).toBe(before);
    const rows = await mailRows(db(), 'operations.weekly', `operations.weekly:${WEEK}:`);
    expect(rows.filter((r) => r.toAddress === reader.email)).toHaveLength(1);
    // On a Tuesday no summary is due.
    expect(
      (await runOperationsReports(db(), { boss: queues.boss, publicOrigin: ORIGIN }, tuesday))
        .mailed,
    ).toBe(0);
  });

  it('names what crossed a threshold, and nothing on a quiet week', () => {
    const quiet = {
      requests: { total: 1000, byClass: { '2xx': 990, '5xx': 10 }, p50Ms: 25, p95Ms: 250 },
      pageViews: 10,
      browserErrors: 0,
      jobs: { completed: 5, failed: 0, failedByQueue: {} },
      pushes: { sent: 100, failed: 5 },
      bookings: { made: 1, cancelled: 0 },
      backups: { ok: 7, failed: 0, restoreChecks: 1, restoreChecksFailed: 0 },
    };
    expect(weeklyAlerts(quiet)).toEqual([]);
    expect(
      weeklyAlerts({
        ...quiet,
        requests: { ...quiet.requests, p95Ms: 2500 },
        jobs: { completed: 5, failed: 2, failedByQueue: { 'mail.send': 1, 'backup.daily': 1 } },
        pushes: { sent: 90, failed: 10 },
        backups: { ok: 7, failed: 0, restoreChecks: 1, restoreChecksFailed: 1 },
      }).map((a) => a.key),
    ).toEqual(['slow', 'restoreCheckFailed', 'jobsFailed', 'pushFailures']);
  });
});
