import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import chartsStyles from '../ui/charts.css';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { monthlyDeliveryTotals } from '../delivery/delivery.service.server.ts';
import { formatMonth, monthlyView, readPeriod } from '../delivery/delivery.ts';
import { MonthlyTable, PeriodForm } from '../delivery/delivery-ui.tsx';
import { isLocale, translator, type Locale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'delivery:title' };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chartsStyles }];

/** Totals per month and kind of notice, like seed 003's table 12, for a period of months. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'delivery:read');
  const locale: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const now = new Date();
  const read = readPeriod(new URL(request.url).searchParams, now);
  if (!read.ok)
    return data({ values: read.values, errors: read.errors, results: null }, { status: 400 });
  const { period } = read;
  const totals = await monthlyDeliveryTotals(context.db, period, now);
  const t = translator(locale);
  return data({
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

export default function DeliveryDashboard() {
  const { t } = useTranslation('delivery');
  const { lang } = useParams();
  const { values, errors, results } = useLoaderData<typeof loader>();
  const base = `/${lang}/admin/delivery`;
  return (
    <>
      <div className="page">
        <h1>{t('title')}</h1>
        <p>{t('lead')}</p>
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
    </>
  );
}
