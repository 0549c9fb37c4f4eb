import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { FirstAccessSchema, PasskeyNameSchema } from '../../identity/identity.schema.server.ts';
import { birthDateFrom } from '../../identity/birth-date.ts';
import { checkLetter } from '../../letters/letter-check.service.server.ts';
import { readLetterLinkToken } from '../../letters/letter.service.server.ts';
import { beginRegistration, PasskeyError } from '../../identity/passkeys.server.ts';
import {
  completeSignIn,
  ensureResidentAccount,
  rpFor,
} from '../../identity/identity.service.server.ts';
import {
  completeFirstAccess,
  recordFirstAccessRefused,
} from '../../identity/account-security.service.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { LetterStep } from './letter-step.tsx';
import { PasskeyStep } from './passkey-step.tsx';

export const handle: RouteHandle = { title: 'identity:firstAccess.title', i18n: ['identity'] };

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
      const created = await completeFirstAccess(
        context.db,
        rpFor(context),
        {
          challengeId: String(form.get('challengeId') ?? ''),
          response: JSON.parse(response) as unknown,
          name: name.success ? name.data : 'Passkey',
        },
        context.clientIp,
      );
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
  const birth = birthDateFrom(value);
  const birthDate = 'date' in birth ? birth.date : '';
  const check = await checkLetter(context.db, {
    purpose: 'first_access',
    code: value.code,
    password: value.password,
    letterIdFromLink: letterIdFromLink ?? undefined,
    birthDate,
    clientKey: `first_access:ip:${context.clientIp ?? 'unknown'}`,
  });
  if (check.outcome !== 'ok') {
    await recordFirstAccessRefused(
      context.db,
      check.outcome === 'client_locked' ? 'denied' : 'failure',
      'letterLocked' in check ? 'letter_locked' : check.outcome,
      context.clientIp,
    );
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
      { status: check.outcome === 'client_locked' ? 429 : 400 },
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
