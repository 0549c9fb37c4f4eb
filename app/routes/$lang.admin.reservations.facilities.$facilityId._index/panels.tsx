import { Form, useParams } from '@remix-run/react';
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import { spansText, WEEKDAYS, type Span } from '../../reservations/facility.ts';

/** One text field per weekday: "9:00-12:00, 13:00-17:00". */
export function HoursForm({
  hours,
  lastResult,
}: {
  hours: (Span & { weekday: number })[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation('adminReservations');
  const [form, fields] = useForm<
    Record<`w${(typeof WEEKDAYS)[number]}`, string>,
    Record<`w${(typeof WEEKDAYS)[number]}`, Span[]>
  >({
    id: 'hours',
    lastResult,
    defaultValue: Object.fromEntries(
      WEEKDAYS.map((d) => [`w${d}`, spansText(hours.filter((h) => h.weekday === d))]),
    ),
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = WEEKDAYS.flatMap((d) => {
    const field = fields[`w${d}`];
    const message = errorOf(field.errors);
    return message ? [{ id: field.id, label: t(`weekday.${d}`), message }] : [];
  });
  return (
    <section aria-labelledby="hours-heading">
      <h2 id="hours-heading">{t('hours.heading')}</h2>
      <p id="hours-hint">{t('hours.hint')}</p>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="hours" />
        {WEEKDAYS.map((d) => {
          const field = fields[`w${d}`];
          return (
            <Field key={d} id={field.id} label={t(`weekday.${d}`)} error={errorOf(field.errors)}>
              {(describedBy, invalid) => (
                <input
                  {...getInputProps(field, { type: 'text', ariaAttributes: false })}
                  autoComplete="off"
                  aria-describedby={['hours-hint', describedBy].filter(Boolean).join(' ')}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          );
        })}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('hours.save')}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** The map image: shown when there is one, replaced by an upload (multipart, no JS needed). */
export function MapForm({
  facilityId,
  name,
  hasMap,
  error,
}: {
  facilityId: string;
  name: string;
  hasMap: boolean;
  error?: string;
}) {
  const { t } = useTranslation('adminReservations');
  const { lang } = useParams();
  return (
    <section aria-labelledby="map-heading">
      <h2 id="map-heading">{t('map.heading')}</h2>
      {hasMap ? (
        <img
          src={`/${lang}/reservations/facilities/${facilityId}/map`}
          alt={t('map.alt', { name })}
          className="facility-map"
          style={{ maxWidth: '100%' }}
        />
      ) : (
        <p>{t('map.none')}</p>
      )}
      <Form method="post" encType="multipart/form-data" className="form">
        <ErrorSummary
          errors={error ? [{ id: 'map-file', label: t('map.file'), message: error }] : []}
        />
        <input type="hidden" name="intent" value="map" />
        <Field id="map-file" label={t('map.file')} hint={t('map.hint')} error={error}>
          {(describedBy, invalid) => (
            <input
              type="file"
              id="map-file"
              name="map"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button">
            {t('map.upload')}
          </button>
          {hasMap ? (
            <button type="submit" name="intent" value="removeMap" className="button">
              {t('map.remove')}
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
