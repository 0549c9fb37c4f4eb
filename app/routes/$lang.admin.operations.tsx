import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { z } from 'zod';
import type { RouteHandle } from '../ui/title.ts';
import { Notice } from '../ui/form.tsx';
import { TableRegion } from '../ui/table-region.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { formatDateTime, isoInstant } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import {
  backupStatus,
  jobQueues,
  retryDeadLetter,
  serviceFacts,
  recordedRuns,
} from '../operations/operations.service.server.ts';

export const handle: RouteHandle = { title: 'adminOperations:title', i18n: ['adminOperations'] };

/** The seed's backup goal: a good backup every day, with two hours to spare. */
const BACKUP_MAX_AGE_SECONDS = 26 * 3600;

/**
 * What an operator on call needs at night (decision 0063): is it up, the backups, the job
 * queues and the dead letters, with a retry for each (operations:manage).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'operations:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const [readiness, facts, jobs, runs] = await Promise.all([
    context.readiness(),
    serviceFacts(context.db),
    jobQueues(context.boss, context.db),
    recordedRuns(context.db),
  ]);
  const backups = backupStatus(context.env.backups, new Date(), runs);
  const newest = backups.backups[0];
  return {
    readiness: {
      ok: readiness.ok,
      checks: Object.entries(readiness.checks).map(([name, check]) => ({ name, ok: check.ok })),
    },
    facts: {
      ...facts,
      startedAt: isoInstant(facts.startedAt),
      started: formatDateTime(facts.startedAt, locale),
    },
    backups: {
      enabled: backups.enabled,
      dir: context.env.backups.dir,
      retentionDays: context.env.backups.retentionDays,
      lastFailed:
        backups.lastResult === false
          ? (backups.lastFailure?.detail ?? newest?.verification?.detail ?? '')
          : null,
      tooOld:
        backups.enabled &&
        (backups.lastSuccessAgeSeconds ?? Infinity) > BACKUP_MAX_AGE_SECONDS &&
        backups.backups.length > 0,
      rows: backups.backups.map((b) => ({
        ...b,
        at: b.finishedAt,
        time: formatDateTime(new Date(b.finishedAt), locale),
        verification: b.verification && {
          ...b.verification,
          time: formatDateTime(new Date(b.verification.at), locale),
        },
      })),
    },
    queues: jobs.queues,
    deadLetters: jobs.deadLetters.map((d) => ({
      ...d,
      time: formatDateTime(new Date(d.failedAt), locale),
    })),
    canRetry: staff.permissions.has('operations:manage'),
  };
}

const RetrySchema = z.object({ queue: z.string().min(1).max(200), jobId: z.uuid() });

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'operations:manage');
  const parsed = RetrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response('Bad Request', { status: 400 });
  const done = await retryDeadLetter(context.db, context.boss, staff.actor, parsed.data);
  return { outcome: done.outcome, queue: parsed.data.queue, at: Date.now() };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AdminOperations() {
  const { t } = useTranslation('adminOperations');
  const { lang } = useParams();
  const data = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  return (
    <>
      <div className="page">
        <h1>{t('title')}</h1>
        <p>{t('lead')}</p>
        {done ? (
          <Notice tone={done.outcome === 'retried' ? 'success' : 'info'} focusKey={done.at}>
            <p>{t(`dead.${done.outcome}`, { queue: done.queue })}</p>
          </Notice>
        ) : null}
        <ServiceSection data={data} />
      </div>
      <BackupsSection backups={data.backups} />
      <QueuesSection queues={data.queues} />
      <DeadLettersSection deadLetters={data.deadLetters} canRetry={data.canRetry} />
      <section aria-labelledby="metrics-heading" className="page">
        <h2 id="metrics-heading">{t('metrics.heading')}</h2>
        <p>{t('metrics.text')}</p>
        <p>
          <a href={`/${lang}/admin/operations/reports`}>{t('reports.link')}</a>
        </p>
      </section>
    </>
  );
}

function Duration({ seconds }: { seconds: number }) {
  const { t } = useTranslation('adminOperations');
  const m = Math.floor(seconds / 60);
  const h = Math.floor(m / 60);
  if (m < 60) return <>{t('duration.minutes', { m })}</>;
  if (h < 48) return <>{t('duration.hours', { h, m: m % 60 })}</>;
  return <>{t('duration.days', { d: Math.floor(h / 24), h: h % 24 })}</>;
}

const megabytes = (bytes: number, lang: string) =>
  `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1e6)} MB`;

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ServiceSection({ data }: { data: Data }) {
  const { t } = useTranslation('adminOperations');
  const { readiness, facts } = data;
  const check = (ok: boolean) => (ok ? t('status.checkOk') : t('status.checkFailed'));
  return (
    <section aria-labelledby="service-heading">
      <h2 id="service-heading">{t('status.heading')}</h2>
      <dl className="meta-list">
        <Fact term={t('status.readiness')}>
          {readiness.ok ? t('status.ready') : t('status.notReady')}
        </Fact>
        {readiness.checks.map((c) => (
          <Fact key={c.name} term={t(`status.${c.name}`, { defaultValue: c.name })}>
            {check(c.ok)}
          </Fact>
        ))}
        <Fact term={t('status.version')}>{facts.version}</Fact>
        <Fact term={t('status.node')}>{facts.node}</Fact>
        <Fact term={t('status.postgres')}>{facts.postgres}</Fact>
        <Fact term={t('status.started')}>
          <time dateTime={facts.startedAt}>{facts.started}</time>
        </Fact>
        <Fact term={t('status.uptime')}>
          <Duration seconds={facts.uptimeSeconds} />
        </Fact>
      </dl>
    </section>
  );
}

function BackupsSection({ backups }: { backups: Data['backups'] }) {
  const { t } = useTranslation('adminOperations');
  const { lang = 'ja' } = useParams();
  return (
    <section aria-labelledby="backups-heading" className="page">
      <h2 id="backups-heading">{t('backups.heading')}</h2>
      {!backups.enabled ? (
        <Notice tone="info">
          <p>{t('backups.off')}</p>
        </Notice>
      ) : null}
      {backups.lastFailed !== null ? (
        <div className="notice notice--warning" role="alert">
          <p>
            {backups.lastFailed
              ? t('backups.failed', { detail: backups.lastFailed })
              : t('backups.failedNoDetail')}
          </p>
        </div>
      ) : null}
      {backups.tooOld ? (
        <div className="notice notice--warning" role="alert">
          <p>{t('backups.old')}</p>
        </div>
      ) : null}
      {backups.rows.length === 0 ? (
        <p>{t('backups.none')}</p>
      ) : (
        <TableRegion labelledBy="backups-caption">
          <table>
            <caption id="backups-caption">
              {t('backups.caption', { dir: backups.dir, days: backups.retentionDays })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('backups.column.finished')}</th>
                <th scope="col">{t('backups.column.age')}</th>
                <th scope="col">{t('backups.column.size')}</th>
                <th scope="col">{t('backups.column.verified')}</th>
                <th scope="col">{t('backups.column.encrypted')}</th>
              </tr>
            </thead>
            <tbody>
              {backups.rows.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <time dateTime={b.at}>{b.time}</time>
                  </th>
                  <td>
                    <Duration seconds={b.ageSeconds} />
                  </td>
                  <td>{megabytes(b.bytes, lang)}</td>
                  <td>
                    {!b.verification
                      ? t('backups.verifiedNo')
                      : b.verification.ok
                        ? t('backups.verifiedYes', { at: b.verification.time })
                        : t('backups.verifiedFailed', { detail: b.verification.detail })}
                  </td>
                  <td>{b.encrypted ? t('backups.yes') : t('backups.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}

function QueuesSection({ queues }: { queues: Data['queues'] }) {
  const { t } = useTranslation('adminOperations');
  const columns = ['queued', 'active', 'deferred', 'failed', 'deadLetters'] as const;
  return (
    <section aria-labelledby="queues-heading" className="page">
      <h2 id="queues-heading">{t('queues.heading')}</h2>
      <TableRegion labelledBy="queues-caption">
        <table>
          <caption id="queues-caption">{t('queues.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('queues.column.name')}</th>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {t(`queues.column.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.name}>
                <th scope="row" translate="no" lang="zxx">
                  {q.name}
                </th>
                {columns.map((c) => (
                  <td key={c}>{q[c]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </section>
  );
}

function DeadLettersSection({
  deadLetters,
  canRetry,
}: {
  deadLetters: Data['deadLetters'];
  canRetry: boolean;
}) {
  const { t } = useTranslation('adminOperations');
  const { lang } = useParams();
  return (
    <section aria-labelledby="dead-heading" className="page">
      <h2 id="dead-heading">{t('dead.heading')}</h2>
      <p>{t('dead.lead')}</p>
      {deadLetters.length === 0 ? (
        <p>{t('dead.none')}</p>
      ) : (
        <>
          {canRetry ? null : <p>{t('dead.noPermission')}</p>}
          <TableRegion labelledBy="dead-caption">
            <table>
              <caption id="dead-caption">{t('dead.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dead.column.queue')}</th>
                  <th scope="col">{t('dead.column.failedAt')}</th>
                  <th scope="col">{t('dead.column.retries')}</th>
                  <th scope="col">{t('dead.column.error')}</th>
                  {canRetry ? <th scope="col">{t('dead.column.action')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {deadLetters.map((d) => (
                  <tr key={d.id}>
                    <th scope="row" translate="no" lang="zxx">
                      {d.queue}
                    </th>
                    <td>
                      <time dateTime={d.failedAt}>{d.time}</time>
                    </td>
                    <td>{d.retries}</td>
                    <td translate="no" lang="zxx">
                      {d.error}
                    </td>
                    {canRetry ? (
                      <td>
                        <Form method="post" action={`/${lang}/admin/operations`}>
                          <input type="hidden" name="queue" value={d.queue} />
                          <input type="hidden" name="jobId" value={d.id} />
                          <button
                            type="submit"
                            className="button button--secondary"
                            aria-label={t('dead.retryLabel', { id: d.id, queue: d.queue })}
                          >
                            {t('dead.retry')}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      )}
    </section>
  );
}
