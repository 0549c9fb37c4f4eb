/**
 * The delivery pages' parts: a notice's delivery section (on the staff notice page), the
 * monthly totals tables and the period form. Browser-safe: no server imports.
 */
import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { ErrorSummary, Field, type FieldError } from '../ui/form.tsx';
import type { Locale } from '../i18n/locales.ts';
import { OpensOverTime } from './chart.tsx';
import type { MonthlyView, NoticeDeliveryView } from './delivery-view.ts';
import type { PeriodErrors, PeriodField, PeriodValues } from './period.ts';
import { TableRegion } from '../ui/table-region.tsx';

/** An open rate, or a dash that says in words why there is none. */
function Rate({ value }: { value: string | null }) {
  const { t } = useTranslation('delivery');
  if (value !== null) return <>{value}</>;
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{t('noRate')}</span>
    </>
  );
}

/** Audience, opened, open rate and opens over time of one notice. */
export function NoticeDeliverySection({ delivery }: { delivery: NoticeDeliveryView }) {
  const { t } = useTranslation('delivery');
  const { lang } = useParams();
  const locale: Locale = lang === 'en' ? 'en' : 'ja';
  return (
    <section aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t('notice.title')}</h2>
      {delivery.published ? (
        <>
          <TableRegion labelledBy="delivery-title">
            <table className="delivery-figures">
              <tbody>
                <tr>
                  <th scope="row">{t('notice.delivered')}</th>
                  <td className="numeric">{delivery.delivered}</td>
                </tr>
                <tr>
                  <th scope="row">{t('notice.opened')}</th>
                  <td className="numeric">{delivery.opened}</td>
                </tr>
                <tr>
                  <th scope="row">{t('notice.openRate')}</th>
                  <td className="numeric">
                    <Rate value={delivery.openRate} />
                  </td>
                </tr>
              </tbody>
            </table>
          </TableRegion>
          <p className="hint">
            {t(delivery.kind === 'broadcast' ? 'notice.noteBroadcast' : 'notice.noteTargeted')}
          </p>
          <h3>{t('notice.overTime')}</h3>
          <OpensOverTime
            rows={delivery.rows}
            step={delivery.step}
            locale={locale}
            total={delivery.opened}
          />
        </>
      ) : (
        <p>{t('notice.notYet')}</p>
      )}
      <p>
        <Link to={`/${lang}/admin/delivery`}>{t('notice.monthlyLink')}</Link>
      </p>
    </section>
  );
}

/** The month-by-month totals of one category, with the period's total. */
export function MonthlyTable({ view, period }: { view: MonthlyView; period: string }) {
  const { t } = useTranslation('delivery');
  return (
    <TableRegion labelledBy={`monthly-${view.category}`}>
      <table className="delivery-table" data-category={view.category}>
        <caption id={`monthly-${view.category}`}>
          {t('monthly.caption', { category: t(`category.${view.category}`), period })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('monthly.month')}</th>
            <th scope="col" className="numeric">
              {t('monthly.notices')}
            </th>
            <th scope="col" className="numeric">
              {t('monthly.deliveries')}
            </th>
            <th scope="col" className="numeric">
              {t('monthly.opens')}
            </th>
            <th scope="col" className="numeric">
              {t('monthly.openRate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {view.rows.map((r) => (
            <tr key={r.month} data-month={r.month}>
              <th scope="row">
                <time dateTime={r.month}>{r.monthText}</time>
              </th>
              <td className="numeric">{r.notices}</td>
              <td className="numeric">{r.deliveries}</td>
              <td className="numeric">{r.opens}</td>
              <td className="numeric">
                <Rate value={r.openRate} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('monthly.total')}</th>
            <td className="numeric">{view.total.notices}</td>
            <td className="numeric">{view.total.deliveries}</td>
            <td className="numeric">{view.total.opens}</td>
            <td className="numeric">
              <Rate value={view.total.openRate} />
            </td>
          </tr>
        </tfoot>
      </table>
    </TableRegion>
  );
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Month from / to, sent with GET so a period is a link staff can share. */
export function PeriodForm({
  values,
  errors,
  resetHref,
}: {
  values: PeriodValues;
  errors: PeriodErrors;
  resetHref: string;
}) {
  const { t } = useTranslation('delivery');
  const fields: PeriodField[] = ['from', 'to'];
  const error = (name: PeriodField) => (errors[name] ? t(errors[name]) : undefined);
  const summary: FieldError[] = fields
    .filter((name) => errors[name])
    .map((name) => ({ id: name, label: t(`period.${name}`), message: error(name) ?? '' }));
  return (
    <Form method="get" className="form" aria-labelledby="period-heading">
      <h2 id="period-heading">{t('period.heading')}</h2>
      <ErrorSummary errors={summary} />
      <fieldset
        className={summary.length > 0 ? 'field field--error' : 'field'}
        aria-describedby="period-hint"
      >
        <legend>{t('period.legend')}</legend>
        <p className="field__hint" id="period-hint">
          {t('period.hint')}
        </p>
        <div className="date-parts">
          {fields.map((name) => (
            <Field key={name} id={name} label={t(`period.${name}`)} error={error(name)}>
              {(describedBy, invalid) => (
                <input
                  id={name}
                  name={name}
                  // A browser without a month picker shows a text box: what was typed there
                  // comes back as typed to be corrected, which a month input may not hold.
                  type={values[name] === '' || MONTH.test(values[name]) ? 'month' : 'text'}
                  defaultValue={values[name]}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('period.submit')}
        </button>
        <Link to={resetHref}>{t('period.reset')}</Link>
      </div>
    </Form>
  );
}
