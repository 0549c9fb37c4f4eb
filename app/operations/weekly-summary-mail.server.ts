/**
 * The weekly operations summary emailed to operators (issue 14, decision 0067 addendum): when
 * the Monday run stores the week's report, every staff member who may read the operations
 * pages and has an email address gets one message through the outbox (decision 0049). The
 * dedupe key names the week and the account, so however often the job runs a recipient gets
 * the week's summary once.
 */
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { formatDate, rangeText, tokyoDayStart } from '../i18n/dates.ts';
import { defaultLocale, type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';
import { queueMail } from '../mail/mail.service.server.ts';
import { renderMail } from '../mail/render.ts';
import { findOperationsReaders } from './operations-report.repository.server.ts';
import type { ReportFigures } from './operations-report.service.server.ts';

export const REPORTS_PATH = '/admin/operations/reports';

export type OperationsMailer = { boss: PgBoss; publicOrigin: string };

type Alert = { key: string; queues?: string };

/**
 * What crossed a threshold over the week, with the thresholds of docs/operations/alerts.yml
 * (there over minutes, here over the week's totals).
 */
export function weeklyAlerts(f: ReportFigures): Alert[] {
  const alerts: Alert[] = [];
  const serverErrors = f.requests.byClass['5xx'] ?? 0;
  if (f.requests.total > 0 && serverErrors / f.requests.total > 0.02)
    alerts.push({ key: 'serverErrors' });
  if (f.requests.p95Ms !== null && f.requests.p95Ms > 1000) alerts.push({ key: 'slow' });
  if (f.backups.failed > 0) alerts.push({ key: 'backupFailed' });
  if (f.backups.restoreChecksFailed > 0) alerts.push({ key: 'restoreCheckFailed' });
  if (f.jobs.failed > 0)
    alerts.push({ key: 'jobsFailed', queues: Object.keys(f.jobs.failedByQueue).sort().join(', ') });
  const pushes = f.pushes.sent + f.pushes.failed;
  if (pushes > 0 && f.pushes.failed / pushes > 0.05) alerts.push({ key: 'pushFailures' });
  return alerts;
}

/** The summary's subject, text and HTML in one language. */
export function weeklySummaryContent(
  input: { locale: Locale; name: string; periodStart: string; periodEnd: string },
  f: ReportFigures,
  publicOrigin: string,
) {
  const { locale } = input;
  const t = translator(locale);
  const k = (key: string, options: Record<string, unknown> = {}) =>
    String(t(`operationsMail:${key}`, options));
  const number = (n: number) => n.toLocaleString(locale);
  const day = (d: string) => formatDate(tokyoDayStart(d), locale);
  const period = rangeText(day(input.periodStart), day(input.periodEnd), locale);
  const within =
    f.requests.p95Ms === null
      ? k('none')
      : f.requests.p95Ms > 10_000
        ? k('slower')
        : k('within', { ms: number(f.requests.p95Ms) });
  const alerts = weeklyAlerts(f);
  return renderMail({
    locale,
    subject: k(alerts.length ? 'subjectAlert' : 'subject', { period }),
    greeting: k('greeting', { name: input.name }),
    paragraphs: [
      k('body', { period }),
      alerts.length
        ? [k('alertsHeading'), ...alerts.map((a) => `- ${k(`alerts.${a.key}`, a)}`)].join('\n')
        : k('noAlerts'),
    ],
    facts: [
      { label: k('facts.requests'), value: number(f.requests.total) },
      { label: k('facts.serverErrors'), value: number(f.requests.byClass['5xx'] ?? 0) },
      { label: k('facts.p95'), value: within },
      { label: k('facts.pageViews'), value: number(f.pageViews) },
      { label: k('facts.browserErrors'), value: number(f.browserErrors) },
      { label: k('facts.jobsFailed'), value: number(f.jobs.failed) },
      {
        label: k('facts.pushes'),
        value: k('pushesValue', { sent: number(f.pushes.sent), failed: number(f.pushes.failed) }),
      },
      {
        label: k('facts.bookings'),
        value: k('bookingsValue', {
          made: number(f.bookings.made),
          cancelled: number(f.bookings.cancelled),
        }),
      },
      {
        label: k('facts.backups'),
        value: k('backupsValue', { ok: number(f.backups.ok), failed: number(f.backups.failed) }),
      },
      {
        label: k('facts.restoreChecks'),
        value: k('restoreChecksValue', {
          checks: number(f.backups.restoreChecks),
          failed: number(f.backups.restoreChecksFailed),
        }),
      },
    ],
    link: { label: k('link'), href: `${publicOrigin}/${locale}${REPORTS_PATH}` },
    signature: [k('why'), k('signature')],
  });
}

/**
 * Queues the week's summary for every operations reader; how many were new (a recipient who
 * already has this week's message gets nothing). In the language of the admin pages the reader
 * last signed in on (account.locale), Japanese before their first sign-in.
 */
export async function queueWeeklySummaryMail(
  db: Db,
  mailer: OperationsMailer,
  report: { periodStart: string; periodEnd: string; figures: ReportFigures },
): Promise<number> {
  let queued = 0;
  for (const reader of await findOperationsReaders(db)) {
    const locale = reader.locale ?? defaultLocale;
    const content = weeklySummaryContent(
      { locale, name: reader.displayName, ...report },
      report.figures,
      mailer.publicOrigin,
    );
    const { created } = await queueMail(mailer.boss, db, {
      kind: 'operations.weekly',
      dedupeKey: `operations.weekly:${report.periodStart}:${reader.id}`,
      to: reader.email!,
      locale,
      ...content,
    });
    if (created) queued += 1;
  }
  return queued;
}
