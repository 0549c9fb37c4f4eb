import { randomInt } from 'node:crypto';
import { test, expect } from './fixtures.ts';
import { appDatabase, signInAsNewStaff } from './support/app.ts';
import { startBoss } from '../jobs/boss.ts';
import { createLogger } from '../app/platform/logger.server.ts';
import { queueMail } from '../app/mail/mail.service.server.ts';
import { renderMail } from '../app/mail/render.ts';
import { appointmentAttachment } from '../app/mail/ics.ts';

/**
 * The app runs without SMTP_URL here: mail queued through the outbox is kept by the app's own
 * worker in the local mailbox, and staff read it on the mail page (decision 0049).
 */
async function queueBookingMail(tag: string) {
  const { connection } = appDatabase();
  const boss = await startBoss(connection.sql, createLogger('silent'), { supervise: false });
  try {
    const content = renderMail({
      locale: 'ja',
      subject: `ご予約を受け付けました ${tag}`,
      greeting: '三浦 花子 様',
      paragraphs: [
        '次の日時でマイナンバーカードの受け取りのご予約を受け付けました。当日は本人確認書類をお持ちください。',
      ],
      facts: [{ label: '場所', value: '三浦市役所 本館1階 市民課 マイナンバーカード交付窓口' }],
    });
    const { id } = await queueMail(boss, connection.db, {
      kind: 'booking.confirmation',
      dedupeKey: `e2e:${tag}`,
      to: `hanako.${tag}@example.jp`,
      locale: 'ja',
      ...content,
      attachments: [
        appointmentAttachment({
          uid: `e2e-${tag}@madoguchi.example.jp`,
          start: new Date('2027-01-15T01:30:00Z'),
          end: new Date('2027-01-15T02:00:00Z'),
          summary: 'マイナンバーカードの受け取り',
        }),
      ],
    });
    return id;
  } finally {
    await boss.stop({ graceful: false });
  }
}

test.describe('staff: the local mailbox', () => {
  test.use({ locale: 'ja-JP' });

  test('mail queued without SMTP is kept and readable, in Japanese and English', async ({
    page,
    checkPage,
  }) => {
    test.setTimeout(90_000);
    const tag = String(randomInt(100_000, 1_000_000));
    const id = await queueBookingMail(tag);
    await signInAsNewStaff(page, ['mail:read']);

    await page.getByRole('link', { name: 'メール', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('メール');
    await expect(page.getByText('SMTP サーバーが設定されていない')).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: tag });
    // The app's worker picks the job up within a second or two.
    await expect(async () => {
      await page.reload();
      await expect(row).toContainText('保管（SMTP なし）', { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await checkPage({ lang: 'ja' });

    await row.getByRole('link', { name: `ご予約を受け付けました ${tag}` }).click();
    await expect(page).toHaveURL(new RegExp(`/ja/admin/mail/${id}$`));
    await expect(page.getByText('三浦 花子 様')).toBeVisible();
    await expect(page.getByText('appointment.ics')).toBeVisible();
    await checkPage({ lang: 'ja' });

    await page.goto(`/en/admin/mail/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Email message');
    await expect(page.getByText('Kept here (no SMTP)')).toBeVisible();
    await checkPage({ lang: 'en' });
    await page.goto('/en/admin/mail');
    await checkPage({ lang: 'en' });
  });
});
