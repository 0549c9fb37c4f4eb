import type { HeadersFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { ErrorSummary, Field, Fieldset } from '../ui/form.tsx';
import { flowRequest, flowSoFar, stepErrors } from '../reservations/booking-flow.server.ts';
import { QuestionFields, StateFields, StepIndicator } from '../reservations/booking-flow-ui.tsx';
import { BOOKING_NEEDS, flowPairs, stepHref } from '../reservations/booking-flow.ts';
import { readQuestions } from '../reservations/booking-flow-input.server.ts';
import bookingStyles from '../ui/booking.css';

export const handle: RouteHandle = { title: 'bookingFlow:details.title', i18n: ['bookingFlow'] };
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });
export const links = () => [{ rel: 'stylesheet', href: bookingStyles }];

/** Step 5 (decision 0052): the pre-booking questions, email, phone and accessibility needs. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await flowRequest(request, params, context);
  const { rules, state } = await flowSoFar(ctx, context);
  const questions = readQuestions(rules.questions);
  return {
    lang: ctx.lang,
    questions,
    values: {
      email: state.email ?? '',
      phone: state.phone ?? '',
      needs: state.needs,
      answers: state.answers,
    },
    pairs: flowPairs({ ...state, email: undefined, phone: undefined, needs: [], answers: {} }),
    back: stepHref(ctx.lang, 'people', state),
    errors: stepErrors(request),
  };
}

export default function DetailsStep() {
  const { lang, questions, values, pairs, back, errors } = useLoaderData<typeof loader>();
  const { t } = useTranslation('bookingFlow');
  const en = lang === 'en';
  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const summary = [
    ...questions.map((q) => ({
      id: `q-${q.id}`,
      name: `q.${q.id}`,
      label: en ? q.labelEn : q.labelJa,
    })),
    { id: 'email', name: 'email', label: t('details.email') },
    { id: 'phone', name: 'phone', label: t('details.phone') },
  ].flatMap((f) =>
    errors[f.name] ? [{ id: f.id, label: f.label, message: t(errors[f.name]!) }] : [],
  );
  return (
    <div className="page page--narrow">
      <StepIndicator step="details" />
      <h1>{t('details.title')}</h1>
      <Form method="get" action={`/${lang}/reservations/book/check`} className="form" noValidate>
        <ErrorSummary errors={summary} />
        <StateFields pairs={pairs} />
        <QuestionFields
          questions={questions}
          values={values.answers}
          errorOf={error}
          locale={en ? 'en' : 'ja'}
        />
        <Field
          id="email"
          label={t('details.email')}
          hint={t('details.emailHint')}
          error={error('email')}
          required
        >
          {(describedBy, invalid) => (
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              defaultValue={values.email}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id="phone"
          label={t('details.phone')}
          hint={t('details.phoneHint')}
          error={error('phone')}
        >
          {(describedBy, invalid) => (
            <input
              id="phone"
              name="phone"
              type="tel"
              autoComplete="tel"
              defaultValue={values.phone}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Fieldset id="needs" legend={t('details.needs')} hint={t('details.needsHint')}>
          {() =>
            BOOKING_NEEDS.map((need) => (
              <div className="checkbox" key={need}>
                <input
                  type="checkbox"
                  id={`need-${need}`}
                  name="needs"
                  value={need}
                  defaultChecked={values.needs.includes(need)}
                />
                <label htmlFor={`need-${need}`}>{t(`needs.${need}`)}</label>
              </div>
            ))
          }
        </Fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('continue')}
          </button>
          <Link to={back}>{t('back')}</Link>
        </div>
      </Form>
    </div>
  );
}
