import type { z } from 'zod';
import { Form, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import { NEEDS } from '../../reservations/staff-days.ts';
import { QuestionFields } from '../../reservations/booking-flow-ui.tsx';
import type { PhoneBookSchema } from './day.schema.ts';
import type { action, DayLoader } from './route.tsx';

/** A clerk books on the caller's behalf: a slot of this day, the reservation IDs read out. */
export function PhoneBookForm() {
  const { t } = useTranslation('reservationDays');
  const { lang } = useParams();
  const { slots, facility, idempotencyKey, questionsByKind } = useLoaderData<DayLoader>();
  const data = useActionData<typeof action>();
  const reply = data?.intent === 'book' ? data : undefined;
  const [form, fields] = useForm<z.input<typeof PhoneBookSchema>>({
    id: 'phone-book',
    lastResult: reply?.result,
    shouldValidate: 'onSubmit',
    defaultValue: { kind: facility?.kinds[0] ?? 'card_pickup' },
  });
  const detail = reply?.detail ?? {};
  const message = (errors: string[] | undefined) =>
    errors?.[0] ? t(errors[0], detail as Record<string, unknown>) : undefined;
  const bookable = slots.filter((s) => s.bookable);
  const rows = [
    [fields.slotId, 'book.slot'],
    [fields.kind, 'book.kind'],
    [fields.reservationIds, 'book.reservationIds'],
    [fields.email, 'book.email'],
    [fields.phone, 'book.phone'],
  ] as const;
  // The kinds' questions, each group under its kind when the facility takes both.
  const kinds = (facility?.kinds ?? []).flatMap((kind) => {
    const questions = questionsByKind[kind] ?? [];
    return questions.length > 0 ? [{ kind, questions }] : [];
  });
  const answerErrors: Record<string, string> = reply?.answerErrors ?? {};
  const answerError = (name: string) =>
    answerErrors[name] ? t(`bookingFlow:${answerErrors[name]}`) : undefined;
  const answers = (form.initialValue?.q ?? {}) as Record<string, string>;
  const locale = lang === 'en' ? 'en' : 'ja';
  const summary = [
    ...rows.flatMap(([field, label]) => {
      const error = message(field.errors);
      return error ? [{ id: field.id, label: t(label), message: error }] : [];
    }),
    ...kinds.flatMap(({ questions }) =>
      questions.flatMap((q) => {
        const error = answerError(`q.${q.id}`);
        const label = locale === 'en' ? q.labelEn : q.labelJa;
        return error ? [{ id: `q-${q.id}`, label, message: error }] : [];
      }),
    ),
  ];
  return (
    <section aria-labelledby="phone-book-title" className="screen-only">
      <h2 id="phone-book-title">{t('book.title')}</h2>
      <p>{t('book.lead')}</p>
      {bookable.length === 0 ? (
        <p>{t('book.noSlots')}</p>
      ) : (
        <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
          <ErrorSummary errors={summary} />
          <input type="hidden" name="intent" value="book" />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <Field
            id={fields.slotId.id}
            label={t('book.slot')}
            error={message(fields.slotId.errors)}
            required
          >
            {(describedBy, invalid) => (
              <select
                id={fields.slotId.id}
                name={fields.slotId.name}
                defaultValue={fields.slotId.initialValue}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              >
                {bookable.map((s) => (
                  <option key={s.id} value={s.id}>
                    {t('book.slotOption', {
                      from: s.from,
                      to: s.to,
                      left: s.capacity - s.taken,
                    })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id={fields.kind.id}
            label={t('book.kind')}
            error={message(fields.kind.errors)}
            required
          >
            {(describedBy, invalid) => (
              <select
                id={fields.kind.id}
                name={fields.kind.name}
                defaultValue={fields.kind.initialValue}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              >
                {(facility?.kinds ?? []).map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id={fields.reservationIds.id}
            label={t('book.reservationIds')}
            hint={t('book.reservationIdsHint')}
            error={message(fields.reservationIds.errors)}
            required
          >
            {(describedBy, invalid) => (
              <textarea
                {...getTextareaProps(fields.reservationIds, { ariaAttributes: false })}
                rows={3}
                autoComplete="off"
                spellCheck={false}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          {kinds.map(({ kind, questions }) => (
            <div key={kind} className="phone-book__questions">
              {kinds.length > 1 || (facility?.kinds.length ?? 0) > 1 ? (
                <h3>{t('book.questionsFor', { kind: t(`kinds.${kind}`) })}</h3>
              ) : null}
              <QuestionFields
                questions={questions}
                values={answers}
                errorOf={answerError}
                locale={locale}
              />
            </div>
          ))}
          <Field
            id={fields.email.id}
            label={t('book.email')}
            hint={t('book.emailHint')}
            error={message(fields.email.errors)}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.email, { type: 'email', ariaAttributes: false })}
                autoComplete="off"
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <Field
            id={fields.phone.id}
            label={t('book.phone')}
            hint={t('book.phoneHint')}
            error={message(fields.phone.errors)}
            required
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.phone, { type: 'tel', ariaAttributes: false })}
                autoComplete="off"
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <Fieldset id={fields.needs.id} legend={t('book.needs')} hint={t('book.needsHint')}>
            {() =>
              NEEDS.map((need) => (
                <div className="checkbox" key={`${form.key}-${need}`}>
                  <input
                    type="checkbox"
                    id={`${fields.needs.id}-${need}`}
                    name={fields.needs.name}
                    value={need}
                    defaultChecked={[fields.needs.initialValue ?? []].flat().includes(need)}
                  />
                  <label htmlFor={`${fields.needs.id}-${need}`}>{t(`needs.${need}`)}</label>
                </div>
              ))
            }
          </Fieldset>
          <div className="button-row">
            <button type="submit" className="button button--primary">
              {t('book.submit')}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
