import { Form } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';

/**
 * Which day (or month) and facility: a GET form, so the view's address can be bookmarked
 * and printed. Shared by the day list and the month view.
 */
/** A facility's name in Japanese (its English name left as the Japanese one) is read as such. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

export function PeriodPicker({
  type,
  value,
  facilities,
  facilityId,
}: {
  type: 'date' | 'month';
  value: string;
  facilities: readonly { id: string; name: string }[];
  facilityId: string | undefined;
}) {
  const { t } = useTranslation('reservationDays');
  const key = type === 'date' ? 'day' : 'month';
  return (
    <Form method="get" className="form" aria-label={t(`${key}.pickerLabel`)}>
      <div className="field">
        <label htmlFor={`pick-${type}`} className="field__label">
          {t(type === 'date' ? 'day.date' : 'month.month')}
        </label>
        <input id={`pick-${type}`} type={type} name={type} defaultValue={value} required />
      </div>
      <div className="field">
        <label htmlFor="pick-facility" className="field__label">
          {t('day.facility')}
        </label>
        <select id="pick-facility" name="facility" defaultValue={facilityId}>
          {facilities.map((f) => (
            <option key={f.id} value={f.id} lang={JAPANESE.test(f.name) ? 'ja' : undefined}>
              {f.name}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button type="submit" className="button">
          {t('day.show')}
        </button>
      </div>
    </Form>
  );
}
