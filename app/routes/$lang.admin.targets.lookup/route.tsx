import type { z } from 'zod';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { lookUpTargetByPhone } from '../../targets/target.service.server.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { TextField } from '../../ui/text-field.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { LookupSchema } from './lookup.schema.ts';

export const handle: RouteHandle = {
  title: 'adminTargets:lookup.title',
  i18n: ['adminTargets'],
};

const FIELDS = ['name', 'birthDate', 'address'] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'targets:lookup');
  return null;
}

/**
 * A POST, so that what the caller said (name, date of birth, address) never sits in an
 * address, a browser history or an access log. Only an exact single match is answered.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:lookup');
  const submission = parseWithZod(await request.formData(), { schema: LookupSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), answer: null }, { status: 400 });
  const found = await lookUpTargetByPhone(
    context.db,
    staff.actor,
    clerkOf(staff, context.env).municipalityCode,
    submission.value,
  );
  if (found.outcome !== 'found')
    return data({ result: submission.reply(), answer: null }, { status: 400 });
  const [only] = found.targets;
  const answer =
    found.targets.length === 0
      ? { kind: 'none' as const }
      : found.targets.length > 1 || !only
        ? { kind: 'several' as const }
        : { kind: 'found' as const, reservationId: only.reservationId, state: only.state };
  // The form keeps what was typed: a clerk may correct one field and ask again.
  return { result: submission.reply(), answer };
}

export default function PhoneLookup() {
  const { t } = useTranslation('adminTargets');
  const reply = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof LookupSchema>>({
    id: 'lookup',
    lastResult: reply?.result,
    shouldValidate: 'onSubmit',
  });
  const answer = reply?.answer ?? null;
  const focusAnswer = useFocusOnChange<HTMLParagraphElement>(answer);
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = FIELDS.flatMap((name) => {
    const error = message(fields[name].errors);
    return error ? [{ id: fields[name].id, label: t(`lookup.${name}`), message: error }] : [];
  });
  return (
    <div className="page">
      <h1>{t('lookup.title')}</h1>
      <p>{t('lookup.lead')}</p>
      <Form
        method="post"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
        aria-label={t('lookup.formLabel')}
      >
        <ErrorSummary errors={summary} />
        {FIELDS.map((name) => (
          <TextField
            key={name}
            meta={fields[name]}
            label={t(`lookup.${name}`)}
            hint={<MarkJapanese text={t(`lookup.${name}Hint`)} />}
            error={message(fields[name].errors)}
            required
          />
        ))}
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('lookup.submit')}
          </button>
        </div>
      </Form>
      <section aria-labelledby="lookup-result-title">
        <h2 id="lookup-result-title">{t('lookup.result')}</h2>
        {/* Always in the page, so each answer is announced. */}
        <div role="status">
          {answer ? (
            <p tabIndex={-1} ref={focusAnswer} className="notice notice--info">
              {answer.kind === 'found'
                ? answer.reservationId
                  ? t('lookup.found', {
                      reservationId: answer.reservationId,
                      state: t(`states.${answer.state}`),
                    })
                  : t('lookup.foundNoReservation', { state: t(`states.${answer.state}`) })
                : t(`lookup.${answer.kind}`)}
            </p>
          ) : null}
        </div>
      </section>
    </div>
  );
}
