import type { z } from 'zod';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { userText } from '../../ui/user-text.ts';
import { type HandoverSchema, IDENTITY_DOCUMENTS } from './handover.schema.ts';
import type { action, loader } from './route.tsx';

const STEPS = ['userCertificate', 'signingCertificate', 'pinSetup'] as const;

/** Shown while the target is booked: the record of the card handed over at the counter. */
export function HandoverForm() {
  const { t } = useTranslation('adminTargets');
  const { target, clerk, now } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const last = answer && answer.intent === 'handover' ? answer.result : undefined;
  const [form, fields] = useForm<z.input<typeof HandoverSchema>>({
    id: 'handover',
    lastResult: last,
    defaultValue: { issuedAt: now },
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      [fields.issuedAt, 'handover.issuedAt', fields.issuedAt.id],
      [fields.documents, 'handover.documents', `${fields.documents.id}-0`],
      [fields.otherDocument, 'handover.otherDocument', fields.otherDocument.id],
      [fields.faceCheck, 'handover.faceCheck', `${fields.faceCheck.id}-matched`],
    ] as const
  )
    .filter(([field]) => field.errors?.length)
    .map(([field, label, id]) => ({ id, label: t(label), message: message(field.errors) ?? '' }));
  const chosen = [fields.documents.initialValue ?? []].flat();
  const documentsError = message(fields.documents.errors);
  const faceError = message(fields.faceCheck.errors);

  return (
    <section aria-labelledby="handover-title">
      <h2 id="handover-title">{t('handover.title')}</h2>
      <p>{t('handover.lead')}</p>
      <Form method="post" {...getFormProps(form, { ariaAttributes: false })} className="form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="handover" />
        <input type="hidden" name="from" value={target.state} />
        <Field
          id={fields.issuedAt.id}
          label={t('handover.issuedAt')}
          hint={t('handover.issuedAtHint')}
          error={message(fields.issuedAt.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.issuedAt, { type: 'datetime-local', ariaAttributes: false })}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <p>
          {t('handover.by')}: <MarkJapanese text={userText(clerk)} />
        </p>
        <Fieldset
          id={fields.documents.id}
          legend={t('handover.documents')}
          hint={t('handover.documentsHint')}
          error={documentsError}
          required
        >
          {(_describedBy, invalid) =>
            IDENTITY_DOCUMENTS.map((doc, i) => (
              <div className="checkbox" key={`${form.key}-${doc}`}>
                <input
                  type="checkbox"
                  id={`${fields.documents.id}-${i}`}
                  name={fields.documents.name}
                  value={doc}
                  defaultChecked={chosen.includes(doc)}
                  aria-invalid={invalid || undefined}
                />
                <label htmlFor={`${fields.documents.id}-${i}`}>
                  {t(`handover.document.${doc}`)}
                </label>
              </div>
            ))
          }
        </Fieldset>
        <Field
          id={fields.otherDocument.id}
          label={t('handover.otherDocument')}
          error={message(fields.otherDocument.errors)}
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.otherDocument, { type: 'text', ariaAttributes: false })}
              maxLength={100}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Fieldset
          id={fields.faceCheck.id}
          legend={t('handover.faceCheck')}
          error={faceError}
          required
        >
          {() =>
            (['matched', 'not_matched'] as const).map((value) => (
              <div className="checkbox" key={`${form.key}-${value}`}>
                <input
                  type="radio"
                  id={`${fields.faceCheck.id}-${value}`}
                  name={fields.faceCheck.name}
                  value={value}
                  defaultChecked={fields.faceCheck.initialValue === value}
                />
                <label htmlFor={`${fields.faceCheck.id}-${value}`}>
                  {value === 'matched' ? t('handover.faceMatched') : t('handover.faceNotMatched')}
                </label>
              </div>
            ))
          }
        </Fieldset>
        <fieldset className="field">
          <legend>{t('handover.steps')}</legend>
          {STEPS.map((step) => (
            <div className="checkbox" key={`${form.key}-${step}`}>
              <input
                type="checkbox"
                id={fields[step].id}
                name={fields[step].name}
                defaultChecked={fields[step].initialValue === 'on'}
              />
              <label htmlFor={fields[step].id}>{t(`handover.${step}`)}</label>
            </div>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('handover.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}
