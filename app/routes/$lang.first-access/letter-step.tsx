import type { z } from 'zod';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import { formAnswer, inputOf } from '../../ui/form-answer.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import type { FirstAccessSchema } from '../../identity/identity.schema.server.ts';
import type { action, loader } from './route.tsx';

/** Step one: the letter's ID and password (or the link from its QR code) and the date of birth. */
export function LetterStep() {
  const { t } = useTranslation('identity');
  const { token, linkInvalid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const lastResult = result && 'result' in result ? result.result : undefined;
  const failed = result?.step === 'failed' ? result.error : null;
  const form = formAnswer<z.input<typeof FirstAccessSchema>>('first-access', lastResult);
  const { fields } = form;
  const time = result && 'time' in result ? result.time : '';
  const message = (errors: string[] | undefined) =>
    errors?.[0] ? t(errors[0], { time }) : undefined;
  const summary = [
    !token && fields.code.errors
      ? {
          id: fields.code.id,
          label: t('firstAccess.code'),
          message: message(fields.code.errors) ?? '',
        }
      : null,
    !token && fields.password.errors
      ? {
          id: fields.password.id,
          label: t('firstAccess.password'),
          message: message(fields.password.errors) ?? '',
        }
      : null,
    fields.birthYear.errors
      ? {
          id: fields.birthYear.id,
          label: t('firstAccess.birthDate'),
          message: message(fields.birthYear.errors) ?? '',
        }
      : null,
  ].filter((e) => e !== null);
  const formError =
    message(form.errors) ??
    (failed
      ? t(`passkeyErrors.${failed}`)
      : linkInvalid
        ? t('firstAccess.errors.linkInvalid')
        : null);
  const birthError = message(fields.birthYear.errors);
  // A refused password is never shown again, not even in the browser's own copy of the form.
  const passwordInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (passwordInput.current && form.errors?.length) passwordInput.current.value = '';
  }, [form.errors]);

  return (
    <div className="page page--narrow">
      <h1>{t('firstAccess.title')}</h1>
      <p>{token ? t('firstAccess.fromLink') : t('firstAccess.lead')}</p>
      <Form method="post" id={form.id} noValidate className="form">
        <ErrorSummary errors={summary} formError={formError} />
        <input type="hidden" name="intent" value="check" />
        {token ? <input type="hidden" name="token" value={token} /> : null}
        {!token ? (
          <>
            <Field
              id={fields.code.id}
              label={t('firstAccess.code')}
              hint={t('firstAccess.codeHint')}
              error={message(fields.code.errors)}
              required
            >
              {(describedBy, invalid) => (
                <input
                  {...inputOf(fields.code)}
                  type="text"
                  className="input--code"
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
            <Field
              id={fields.password.id}
              label={t('firstAccess.password')}
              hint={t('firstAccess.passwordHint')}
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
                  autoComplete="one-time-code"
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          </>
        ) : null}
        <Fieldset
          id={fields.birthYear.id}
          legend={t('firstAccess.birthDate')}
          hint={<MarkJapanese text={t('firstAccess.birthDateHint')} />}
          error={birthError}
          required
        >
          {(_describedBy, invalid) => (
            <div className="date-parts">
              {(['birthYear', 'birthMonth', 'birthDay'] as const).map((part) => (
                <div key={part}>
                  <label htmlFor={fields[part].id}>
                    {t(
                      `firstAccess.${part === 'birthYear' ? 'year' : part === 'birthMonth' ? 'month' : 'day'}`,
                    )}
                  </label>
                  <input
                    {...inputOf(fields[part])}
                    type="text"
                    // The year may be typed with its era (昭和23), so not numeric only.
                    inputMode={part === 'birthYear' ? 'text' : 'numeric'}
                    className={part === 'birthYear' ? 'input--year' : 'input--short'}
                    autoComplete={
                      part === 'birthYear'
                        ? 'bday-year'
                        : part === 'birthMonth'
                          ? 'bday-month'
                          : 'bday-day'
                    }
                    aria-invalid={invalid || undefined}
                  />
                </div>
              ))}
            </div>
          )}
        </Fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('firstAccess.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
