import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Link, useLoaderData, useParams, useSearchParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import chartsStyles from '../ui/charts.css';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { monthlyDeliveryTotals } from '../delivery/delivery.service.server.ts';
import { formatMonth, monthlyView } from '../delivery/delivery-view.ts';
import { readPeriod } from '../delivery/period.ts';
import { MonthlyTable, PeriodForm } from '../delivery/delivery-ui.tsx';
import { isLocale, translator, type Locale } from '../i18n/locales.ts';
import { changeCampaign } from '../push/campaign-actions.service.server.ts';
import { campaignProgress } from '../push/campaign.service.server.ts';
import { fanoutView } from '../push/push-view.ts';
import { FanoutSection } from '../push/push-ui.tsx';
import { Notice } from '../ui/form.tsx';
import { isUuid } from '../platform/ids.ts';

export const handle: RouteHandle = { title: 'delivery:title', i18n: ['delivery', 'push'] };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chartsStyles }];

/** Totals per month and kind of notice, like seed 003's table 12, for a period of months. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'delivery:read');
  const locale: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const url = new URL(request.url);
  const push = {
    fanouts: (await campaignProgress(context.db, { limit: 20 })).map((c) => fanoutView(c, locale)),
    // Pausing, resuming and cancelling belong to those who publish notices.
    canControl: staff.permissions.has('notices:write'),
    confirmingCancel: url.searchParams.get('cancel'),
  };
  const read = readPeriod(url.searchParams, now);
  if (!read.ok)
    return data({ values: read.values, errors: read.errors, results: null, push }, { status: 400 });
  const { period } = read;
  const totals = await monthlyDeliveryTotals(context.db, period, now);
  const t = translator(locale);
  return data({
    push,
    values: read.values,
    errors: {},
    results: {
      period: t('delivery:monthly.period', {
        from: formatMonth(period.from, locale),
        to: formatMonth(period.to, locale),
      }),
      csvHref: `?${new URLSearchParams(period)}`,
      tables: monthlyView(totals, locale),
    },
  });
}

const PUSH_ACTIONS = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' } as const;

/** Pause, resume or cancel a push fan-out; a repeated click changes and records nothing. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'notices:write');
  const form = await request.formData();
  const intent = String(form.get('intent'));
  const campaignId = String(form.get('campaignId') ?? '');
  if (!Object.hasOwn(PUSH_ACTIONS, intent) || !isUuid(campaignId))
    throw new Response('Bad Request', { status: 400 });
  const [campaign] = await campaignProgress(context.db, { campaignId });
  if (!campaign) throw new Response('Not Found', { status: 404 });
  const action = intent as keyof typeof PUSH_ACTIONS;
  const changed = await changeCampaign(context.db, context.boss, staff.actor, campaign, action);
  return redirect(
    `/${params.lang}/admin/delivery?push=${changed ? PUSH_ACTIONS[action] : 'unchanged'}#fanout-${campaignId}`,
  );
}

export default function DeliveryDashboard() {
  const { t } = useTranslation('delivery');
  const { t: tp } = useTranslation('push');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const { values, errors, results, push } = useLoaderData<typeof loader>();
  const base = `/${lang}/admin/delivery`;
  const pushDone = search.get('push');
  return (
    <>
      <div className="page">
        <h1>{t('title')}</h1>
        {pushDone && ['paused', 'resumed', 'cancelled', 'unchanged'].includes(pushDone) ? (
          <Notice tone={pushDone === 'unchanged' ? 'info' : 'success'}>
            {tp(`fanout.${pushDone}`)}
          </Notice>
        ) : null}
        <p>{t('lead')}</p>
        <p>
          <Link to={`/${lang}/admin/page-views`}>{t('pageViews')}</Link>
        </p>
        <PeriodForm
          // A new period (or the menu link) starts from the values it was loaded with.
          key={JSON.stringify(values)}
          values={values}
          errors={errors}
          resetHref={base}
        />
      </div>
      {results ? (
        <section aria-labelledby="monthly-heading" className="delivery-results">
          <h2 id="monthly-heading">{t('monthly.heading', { period: results.period })}</h2>
          <p>
            <a href={`${base}.csv${results.csvHref}`} download>
              {t('export.link')}
            </a>
          </p>
          <p className="hint">{t('export.hint')}</p>
          {results.tables.map((view) => (
            <MonthlyTable key={view.category} view={view} period={results.period} />
          ))}
          <h3>{t('notes.heading')}</h3>
          <ul className="delivery-notes">
            <li>{t('notes.month')}</li>
            <li>{t('notes.deliveries')}</li>
            <li>{t('notes.opens')}</li>
            <li>{t('notes.openRate')}</li>
          </ul>
        </section>
      ) : null}
      <FanoutSection
        fanouts={push.fanouts}
        canControl={push.canControl}
        confirmingCancel={push.confirmingCancel}
      />
    </>
  );
}
