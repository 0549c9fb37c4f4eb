import { Form } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Field } from '../../ui/form.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { formatDateTime } from '../../i18n/dates.ts';
import type { Locale } from '../../i18n/locales.ts';

type Slot = {
  id: string;
  startsAt: string | Date;
  endsAt: string | Date;
  capacity: number;
  taken: number;
  closedAt: string | Date | null;
  bookings: number;
};
type Answer = {
  slotId?: string;
  field?: 'capacity' | 'message';
  error?: { key: string; values: Record<string, string | number> };
};

/** A week's slots, each with a form for its places and one to close it (with a message). */
export function SlotTable({
  week,
  slots,
  answer,
}: {
  week: string;
  slots: Slot[];
  answer?: Answer;
}) {
  const { t, i18n } = useTranslation('adminReservations');
  const locale = i18n.language as Locale;
  const errorFor = (id: string, field: 'capacity' | 'message') =>
    answer?.slotId === id && answer.field === field && answer.error
      ? t(answer.error.key, answer.error.values)
      : undefined;
  return (
    <section aria-labelledby="slots-heading">
      <h2 id="slots-heading" tabIndex={-1}>
        {t('weeks.slotsOf', { week })}
      </h2>
      {slots.length === 0 ? (
        <p>{t('weeks.noSlots')}</p>
      ) : (
        <TableRegion labelledBy="slots-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('weeks.time')}</th>
                <th scope="col">{t('weeks.taken')}</th>
                <th scope="col">{t('weeks.state')}</th>
                <th scope="col">{t('weeks.capacity')}</th>
                <th scope="col">{t('weeks.close')}</th>
              </tr>
            </thead>
            <tbody>
              {slots.map((s) => {
                const time = formatDateTime(new Date(s.startsAt), locale);
                const placesError = errorFor(s.id, 'capacity');
                const messageError = errorFor(s.id, 'message');
                return (
                  <tr key={s.id}>
                    <th scope="row">{time}</th>
                    <td>
                      {s.taken} / {s.capacity}
                    </td>
                    <td>{s.closedAt ? t('weeks.closed') : t('weeks.open')}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="places" />
                        <input type="hidden" name="slotId" value={s.id} />
                        <Field
                          id={`places-${s.id}`}
                          label={`${t('weeks.capacity')} ${time}`}
                          error={placesError}
                        >
                          {(describedBy, invalid) => (
                            <input
                              type="number"
                              id={`places-${s.id}`}
                              name="capacity"
                              min={0}
                              max={1000}
                              defaultValue={s.capacity}
                              aria-describedby={describedBy}
                              aria-invalid={invalid || undefined}
                            />
                          )}
                        </Field>
                        <button type="submit" className="button">
                          {t('weeks.setPlaces')}
                        </button>
                      </Form>
                    </td>
                    <td>
                      {s.closedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="close" />
                          <input type="hidden" name="slotId" value={s.id} />
                          {s.bookings > 0 || messageError ? (
                            <Field
                              id={`message-${s.id}`}
                              label={`${t('weeks.message')} ${time}`}
                              error={messageError}
                            >
                              {(describedBy, invalid) => (
                                <textarea
                                  id={`message-${s.id}`}
                                  name="message"
                                  rows={2}
                                  aria-describedby={describedBy}
                                  aria-invalid={invalid || undefined}
                                />
                              )}
                            </Field>
                          ) : null}
                          <button
                            type="submit"
                            className="button"
                            aria-label={`${t('weeks.close')} ${time}`}
                          >
                            {t('weeks.close')}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
