import type { z } from 'zod';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
} from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { FormDraft } from '../../ui/form-draft.tsx';
import { ErrorSummary, Field, RequiredMarker, type FieldError } from '../../ui/form.tsx';
import { senders } from '../../notices/notice.ts';
import { BODY_MAX, type NoticeFormSchema, TITLE_MAX } from '../../notices/notice.schema.ts';
import type { action, loader } from './route.tsx';
import { AudienceFileField } from './audience-file.tsx';
import { NoticePreview } from './preview.tsx';

/** The compose form: content in both languages, audience, timing; preview and publish. */
export function ComposeForm() {
  const { t } = useTranslation('adminNotices');
  const { lang } = useParams();
  const { idempotencyKey, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof NoticeFormSchema>>({
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
    defaultValue: { publishWhen: 'now' },
  });
  const report = actionData?.report ?? null;
  const vars = { count: report?.errorCount ?? 0, max: TITLE_MAX, bodyMax: BODY_MAX };
  const msg = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0], vars) : undefined);

  const labels: [{ id: string; errors?: string[] }, string, string?][] = [
    [fields.sender, t('compose.sender')],
    [fields.titleJa, t('compose.titleJa')],
    [fields.bodyJa, t('compose.bodyJa')],
    [fields.titleEn, t('compose.titleEn')],
    [fields.bodyEn, t('compose.bodyEn')],
    [fields.audience, t('compose.audience'), `${fields.audience.id}-all`],
    [fields.municipalityCode, t('compose.municipalityCode')],
    [fields.audienceFile, t('csv.file')],
    [fields.publishWhen, t('compose.publishWhen'), `${fields.publishWhen.id}-now`],
    [fields.publishAt, t('compose.publishAt')],
    [fields.expiresAt, t('compose.expiresAt')],
  ];
  const summary: FieldError[] = labels
    .filter(([field]) => field.errors?.length)
    .map(([field, label, id]) => ({ id: id ?? field.id, label, message: msg(field.errors) ?? '' }));
  // Hidden fields only fail when the page itself is broken (an old or altered copy).
  const formError =
    form.errors?.length || fields.idempotencyKey.errors || fields.intent.errors
      ? t('errors.form')
      : null;

  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/notices`}>{t('compose.back')}</Link>
      </p>
      <h1>{t('compose.title')}</h1>
      <p>{t('compose.lead')}</p>
      <Form
        method="post"
        encType="multipart/form-data"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
      >
        <ErrorSummary errors={summary} formError={formError} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <FormDraft name="notice" />

        <Field
          id={fields.sender.id}
          label={t('compose.sender')}
          error={msg(fields.sender.errors)}
          required
        >
          {(describedBy, invalid) => (
            <select
              {...getSelectProps(fields.sender)}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            >
              <option value="">{t('compose.senderChoose')}</option>
              {senders.map((s) => (
                <option key={s} value={s}>
                  {t(`notices:sender.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>

        <p id="languages-hint">{t('compose.languagesHint')}</p>
        {(['Ja', 'En'] as const).map((l) => {
          const title = fields[`title${l}`];
          const body = fields[`body${l}`];
          const contentLang = l === 'Ja' ? 'ja' : 'en';
          return (
            <fieldset key={l}>
              <legend>{t(`compose.language${l}`)}</legend>
              <Field
                id={title.id}
                label={t(`compose.title${l}`)}
                error={msg(title.errors)}
                hint={t('compose.titleHint', { max: TITLE_MAX })}
              >
                {(describedBy, invalid) => (
                  <input
                    {...getInputProps(title, { type: 'text' })}
                    lang={contentLang}
                    size={60}
                    maxLength={TITLE_MAX}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  />
                )}
              </Field>
              <Field
                id={body.id}
                label={t(`compose.body${l}`)}
                hint={t('compose.bodyHint')}
                error={msg(body.errors)}
              >
                {(describedBy, invalid) => (
                  <textarea
                    {...getTextareaProps(body)}
                    lang={contentLang}
                    rows={10}
                    cols={60}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  />
                )}
              </Field>
            </fieldset>
          );
        })}

        <RadioGroup
          field={fields.audience}
          legend={t('compose.audience')}
          error={msg(fields.audience.errors)}
          options={[
            ['all', t('compose.audienceAll'), t('compose.audienceAllHint')],
            ['municipality', t('compose.audienceMunicipality')],
            ['list', t('compose.audienceList')],
          ]}
        />
        <div className="conditional">
          <Field
            id={fields.municipalityCode.id}
            label={t('compose.municipalityCode')}
            hint={t('compose.municipalityCodeHint')}
            error={msg(fields.municipalityCode.errors)}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.municipalityCode, { type: 'text' })}
                inputMode="numeric"
                autoComplete="off"
                className="input--short"
                maxLength={6}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
          <AudienceFileField
            id={fields.audienceFile.id}
            error={msg(fields.audienceFile.errors)}
            report={report}
            carried={actionData?.carried ?? null}
          />
        </div>

        <RadioGroup
          field={fields.publishWhen}
          legend={t('compose.publishWhen')}
          error={msg(fields.publishWhen.errors)}
          options={[
            ['now', t('compose.publishNow')],
            ['scheduled', t('compose.publishScheduled')],
          ]}
        />
        <div className="conditional">
          <Field
            id={fields.publishAt.id}
            label={t('compose.publishAt')}
            hint={t('compose.dateTimeHint')}
            error={msg(fields.publishAt.errors)}
          >
            {(describedBy, invalid) => (
              <input
                {...getInputProps(fields.publishAt, { type: 'datetime-local' })}
                min={now}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              />
            )}
          </Field>
        </div>
        <Field
          id={fields.expiresAt.id}
          label={t('compose.expiresAt')}
          hint={t('compose.expiresAtHint')}
          error={msg(fields.expiresAt.errors)}
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.expiresAt, { type: 'datetime-local' })}
              min={now}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>

        {actionData?.preview ? <NoticePreview preview={actionData.preview} /> : null}

        <div className="button-row">
          <button type="submit" name="intent" value="preview" className="button button--secondary">
            {t('compose.preview')}
          </button>
          <button type="submit" name="intent" value="publish" className="button button--primary">
            {t('compose.publish')}
          </button>
        </div>
      </Form>
    </div>
  );
}

/** Radio buttons in a fieldset, with the group's error under its legend. */
export function RadioGroup<Schema>({
  field,
  legend,
  error,
  options,
}: {
  field: FieldMetadata<Schema>;
  legend: string;
  error?: string;
  options: [value: string, label: string, hint?: string][];
}) {
  const { t } = useTranslation();
  const errorId = `${field.id}-error`;
  return (
    <fieldset
      className={error ? 'field field--error' : 'field'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        {legend}
        <RequiredMarker />
      </legend>
      {error ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('form.errorPrefix')}</span>
          {error}
        </p>
      ) : null}
      {options.map(([value, label, hint]) => {
        const id = `${field.id}-${value}`;
        return (
          <div key={value}>
            <div className="checkbox">
              <input
                {...getInputProps(field, { type: 'radio', value })}
                id={id}
                aria-describedby={hint ? `${id}-hint` : undefined}
                aria-invalid={error ? true : undefined}
              />
              <label htmlFor={id}>{label}</label>
            </div>
            {hint ? (
              <p className="field__hint" id={`${id}-hint`}>
                {hint}
              </p>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
