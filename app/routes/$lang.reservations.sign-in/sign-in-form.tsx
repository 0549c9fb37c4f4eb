import type { z } from 'zod';
import { useEffect, useRef, type ReactNode } from 'react';
import { Form, useActionData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { formAnswer, inputOf } from '../../ui/form-answer.ts';
import type { BookingSignInSchema } from '../../reservations/booking.schema.server.ts';
import type { action } from './route.tsx';

/** The booking site's sign-in: the reservation ID and password printed on the letter. */
export function SignInForm({
  signedOut,
  notice,
  children,
}: {
  signedOut: boolean;
  notice?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation('reservations');
  const answer = useActionData<typeof action>();
  const form = formAnswer<z.input<typeof BookingSignInSchema>>('booking-sign-in', answer?.result);
  const { fields } = form;
  const message = (errors: string[] | undefined) =>
    errors?.[0] ? t(errors[0], { time: answer?.time ?? '' }) : undefined;
  const summary = [
    fields.reservationId.errors
      ? {
          id: fields.reservationId.id,
          label: t('signIn.reservationId'),
          message: message(fields.reservationId.errors) ?? '',
        }
      : null,
    fields.password.errors
      ? {
          id: fields.password.id,
          label: t('signIn.password'),
          message: message(fields.password.errors) ?? '',
        }
      : null,
  ].filter((e) => e !== null);
  // A refused password is never shown again, not even in the browser's own copy of the form.
  const passwordInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (passwordInput.current && form.errors?.length) passwordInput.current.value = '';
  }, [form.errors]);

  return (
    <div className="page page--narrow">
      <h1>{t('title')}</h1>
      {signedOut ? <Notice tone="info">{t('signIn.signedOut')}</Notice> : null}
      {notice}
      <p>{t('signIn.lead')}</p>
      <Form method="post" id={form.id} noValidate className="form">
        <ErrorSummary errors={summary} formError={message(form.errors)} />
        <Field
          id={fields.reservationId.id}
          label={t('signIn.reservationId')}
          hint={t('signIn.reservationIdHint')}
          error={message(fields.reservationId.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...inputOf(fields.reservationId)}
              type="text"
              className="input--code"
              inputMode="numeric"
              autoComplete="username"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.password.id}
          label={t('signIn.password')}
          hint={t('signIn.passwordHint')}
          error={message(fields.password.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              id={fields.password.id}
              name={fields.password.name}
              type="password"
              ref={passwordInput}
              className="input--code"
              autoComplete="current-password"
              autoCapitalize="characters"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('signIn.submit')}
          </button>
        </div>
      </Form>
      <p>{t('signIn.help')}</p>
      {children}
    </div>
  );
}
