import { Form } from '@remix-run/react';
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import type { FacilitySchema } from '../../reservations/facility.schema.ts';
import { SLOT_MINUTES } from '../../reservations/facility.ts';
import { APPOINTMENT_KINDS } from '../../reservations/booking-rules.ts';

type Values = z.input<typeof FacilitySchema>;
const TEXT: { name: keyof Values; required?: boolean; long?: boolean }[] = [
  { name: 'nameJa', required: true },
  { name: 'nameEn', required: true },
  { name: 'addressJa' },
  { name: 'addressEn' },
  { name: 'phone' },
  { name: 'directionsJa', long: true },
  { name: 'directionsEn', long: true },
];

/** A facility's details: used to add one and to edit it (with its saved values). */
export function FacilityForm({
  lastResult,
  defaultValue,
  submit,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<Record<Exclude<keyof Values, 'kinds'>, string>> & { kinds?: string[] };
  submit: string;
}) {
  const { t } = useTranslation('adminReservations');
  const [form, fields] = useForm<Values, z.output<typeof FacilitySchema>>({
    id: 'facility',
    lastResult,
    defaultValue: defaultValue ?? { slotMinutes: '60', placesPerSlot: '4', kinds: ['card_pickup'] },
    shouldValidate: 'onSubmit',
  });
  const errorOf = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const all = [...TEXT.map((f) => f.name), 'kinds', 'slotMinutes', 'placesPerSlot'] as const;
  const summary = all.flatMap((name) => {
    const message = errorOf(fields[name].errors);
    return message ? [{ id: fields[name].id, label: t(`facility.${name}`), message }] : [];
  });
  const kinds = (fields.kinds.initialValue as string[] | string | undefined) ?? [];
  return (
    <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
      <ErrorSummary errors={summary} />
      <input type="hidden" name="intent" value="details" />
      {TEXT.map(({ name, required, long }) => (
        <Field
          key={name}
          id={fields[name].id}
          label={t(`facility.${name}`)}
          error={errorOf(fields[name].errors)}
          required={required}
        >
          {(describedBy, invalid) =>
            long ? (
              <textarea
                id={fields[name].id}
                name={fields[name].name}
                defaultValue={String(fields[name].initialValue ?? '')}
                rows={3}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            ) : (
              <input
                {...getInputProps(fields[name], {
                  type: name === 'phone' ? 'tel' : 'text',
                  ariaAttributes: false,
                })}
                required={required}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )
          }
        </Field>
      ))}
      <Fieldset
        id={fields.kinds.id}
        legend={t('facility.kinds')}
        error={errorOf(fields.kinds.errors)}
        required
      >
        {() =>
          APPOINTMENT_KINDS.map((kind) => (
            <div className="checkbox" key={kind}>
              <input
                type="checkbox"
                id={`${fields.kinds.id}-${kind}`}
                name={fields.kinds.name}
                value={kind}
                defaultChecked={[kinds].flat().includes(kind)}
              />
              <label htmlFor={`${fields.kinds.id}-${kind}`}>{t(`kind.${kind}`)}</label>
            </div>
          ))
        }
      </Fieldset>
      <Field
        id={fields.slotMinutes.id}
        label={t('facility.slotMinutes')}
        error={errorOf(fields.slotMinutes.errors)}
        required
      >
        {(describedBy, invalid) => (
          <select
            {...getSelectProps(fields.slotMinutes, { ariaAttributes: false })}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            {SLOT_MINUTES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={fields.placesPerSlot.id}
        label={t('facility.placesPerSlot')}
        error={errorOf(fields.placesPerSlot.errors)}
        required
      >
        {(describedBy, invalid) => (
          <input
            {...getInputProps(fields.placesPerSlot, { type: 'number', ariaAttributes: false })}
            min={1}
            max={100}
            required
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {submit}
        </button>
      </div>
    </Form>
  );
}
