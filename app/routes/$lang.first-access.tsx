import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useForm, getFormProps, getInputProps } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Field } from '../ui/form.tsx';
import { PasskeyForm } from '../ui/passkey.tsx';
import type { RouteHandle } from '../ui/title.ts';
import {
  BirthDateParts,
  birthDateFrom,
  FirstAccessSchema,
  PasskeyNameSchema,
} from '../identity/identity.schema.ts';
import { checkLetter, markLetterUsed, readLetterLinkToken } from '../identity/letters.server.ts';
import {
  beginRegistration,
  finishRegistration,
  PasskeyError,
} from '../identity/passkeys.server.ts';
import {
  completeSignIn,
  ensureResidentAccount,
  rpFor,
} from '../identity/identity.service.server.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';

export const handle: RouteHandle = { title: 'identity:firstAccess.title' };

export function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token');
  if (!token) return { token: null, linkInvalid: false };
  const letterId = readLetterLinkToken(context.secrets, token);
  return letterId ? { token, linkInvalid: false } : { token: null, linkInvalid: true };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();

  if (form.get('intent') === 'register') {
    const response = String(form.get('response') ?? '');
    const name = PasskeyNameSchema.safeParse(form.get('passkeyName'));
    if (!response)
      return data({ step: 'failed' as const, error: 'missing' as const }, { status: 400 });
    try {
      const created = await finishRegistration(context.db, rpFor(context), {
        challengeId: String(form.get('challengeId') ?? ''),
        response: JSON.parse(response) as unknown,
        name: name.success ? name.data : 'Passkey',
      });
      const letterId = String(created.context.letterId ?? '');
      await markLetterUsed(context.db, letterId);
      await recordAudit(context.db, {
        actorType: 'resident',
        actorId: created.accountId,
        action: 'auth.first_access',
        targetType: 'letter',
        targetId: letterId,
        outcome: 'success',
        ip: context.clientIp,
        details: { passkeyId: created.passkeyId },
      });
      const cookie = await completeSignIn(
        context,
        request,
        { accountId: created.accountId, kind: 'resident' },
        'first_access',
      );
      return redirect(`/${locale}/my`, { headers: { 'Set-Cookie': cookie } });
    } catch (error) {
      if (!(error instanceof PasskeyError) && !(error instanceof SyntaxError)) throw error;
      const reason = error instanceof PasskeyError ? error.reason : 'invalid';
      return data({ step: 'failed' as const, error: reason }, { status: 400 });
    }
  }

  const submission = parseWithZod(form, { schema: FirstAccessSchema });
  if (submission.status !== 'success')
    return data({ step: 'letter' as const, result: submission.reply() }, { status: 400 });
  const value = submission.value;
  const letterIdFromLink = value.token ? readLetterLinkToken(context.secrets, value.token) : null;
  if (value.token && !letterIdFromLink) {
    return data(
      {
        step: 'letter' as const,
        result: submission.reply({ formErrors: ['firstAccess.errors.linkInvalid'] }),
      },
      { status: 400 },
    );
  }
  const birthDate = birthDateFrom(BirthDateParts.parse(value)) ?? '';
  const check = await checkLetter(context.db, {
    purpose: 'first_access',
    code: value.code,
    password: value.password,
    letterIdFromLink: letterIdFromLink ?? undefined,
    birthDate,
    clientKey: `first_access:ip:${context.clientIp ?? 'unknown'}`,
  });
  if (check.outcome !== 'ok') {
    await recordAudit(context.db, {
      actorType: 'anonymous',
      action: 'auth.first_access',
      outcome: check.outcome.endsWith('locked') ? 'denied' : 'failure',
      ip: context.clientIp,
      details: { reason: check.outcome },
    });
    const time = 'until' in check ? formatDateTime(check.until, locale) : '';
    // Nothing typed is kept except the letter ID: passwords never travel back to the page.
    return data(
      {
        step: 'letter' as const,
        result: submission.reply({
          formErrors: [`firstAccess.errors.${check.outcome}`],
          hideFields: ['password'],
        }),
        time,
      },
      { status: check.outcome.endsWith('locked') ? 429 : 400 },
    );
  }
  const account = await ensureResidentAccount(context.db, check.residentId);
  const { challengeId, options } = await beginRegistration(context.db, rpFor(context), account.id, {
    letterId: check.letterId,
  });
  return { step: 'passkey' as const, challengeId, options, name: account.displayName };
}

export default function FirstAccess() {
  const result = useActionData<typeof action>();
  if (result?.step === 'passkey')
    return (
      <PasskeyStep challengeId={result.challengeId} options={result.options} name={result.name} />
    );
  return <LetterStep />;
}

function LetterStep() {
  const { t } = useTranslation('identity');
  const { token, linkInvalid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const lastResult = result && 'result' in result ? result.result : undefined;
  const failed = result?.step === 'failed' ? result.error : null;
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FirstAccessSchema }),
  });
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
      <Form method="post" {...getFormProps(form)} className="form">
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
                  {...getInputProps(fields.code, { type: 'text' })}
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
                  {...getInputProps(fields.password, { type: 'password' })}
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
        <fieldset
          className={birthError ? 'field field--error' : 'field'}
          aria-describedby={`${fields.birthYear.id}-hint${birthError ? ` ${fields.birthYear.id}-error` : ''}`}
        >
          <legend>
            {t('firstAccess.birthDate')}
            <span className="field__required">{t('common:form.required')}</span>
          </legend>
          <p className="field__hint" id={`${fields.birthYear.id}-hint`}>
            {t('firstAccess.birthDateHint')}
          </p>
          {birthError ? (
            <p className="field__error" id={`${fields.birthYear.id}-error`}>
              {birthError}
            </p>
          ) : null}
          <div className="date-parts">
            {(['birthYear', 'birthMonth', 'birthDay'] as const).map((part) => (
              <div key={part}>
                <label htmlFor={fields[part].id}>
                  {t(
                    `firstAccess.${part === 'birthYear' ? 'year' : part === 'birthMonth' ? 'month' : 'day'}`,
                  )}
                </label>
                <input
                  {...getInputProps(fields[part], { type: 'text' })}
                  inputMode="numeric"
                  className={part === 'birthYear' ? 'input--short' : 'input--short'}
                  autoComplete={
                    part === 'birthYear'
                      ? 'bday-year'
                      : part === 'birthMonth'
                        ? 'bday-month'
                        : 'bday-day'
                  }
                  aria-invalid={birthError ? true : undefined}
                />
              </div>
            ))}
          </div>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('firstAccess.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}

function PasskeyStep({
  challengeId,
  options,
  name,
}: {
  challengeId: string;
  options: object;
  name: string;
}) {
  const { t } = useTranslation('identity');
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed its step without a navigation: take the reader to the new step.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="page page--narrow">
      <h1>{t('firstAccess.title')}</h1>
      <h2 ref={heading} tabIndex={-1}>
        {t('firstAccess.passkeyTitle')}
      </h2>
      <p>{t('firstAccess.passkeyLead', { name })}</p>
      <PasskeyForm
        mode="register"
        options={options}
        challengeId={challengeId}
        intent="register"
        buttonLabel={t('firstAccess.passkeyButton')}
      >
        <Field
          id="passkey-name"
          label={t('firstAccess.passkeyName')}
          hint={t('firstAccess.passkeyNameHint')}
        >
          {(describedBy) => (
            <input
              id="passkey-name"
              name="passkeyName"
              type="text"
              maxLength={60}
              defaultValue={t('firstAccess.passkeyDefaultName')}
              aria-describedby={describedBy}
            />
          )}
        </Field>
      </PasskeyForm>
    </div>
  );
}
