import type { z } from 'zod';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import { FormDraft } from '../../ui/form-draft.tsx';
import { ErrorSummary, Field, Notice, type FieldError } from '../../ui/form.tsx';
import {
  TITLE_MAX,
  TODO_DESCRIPTION_MAX,
  type TodoFormSchema,
} from '../../notices/notice.schema.ts';
import { AudienceFileField } from '../$lang.admin.notices.new/audience-file.tsx';
import type { action, loader } from './route.tsx';

/** One to-do, in Japanese and/or English, for every resident of an uploaded list. */
export function TodoForm() {
  const { t } = useTranslation('adminNotices');
  const { idempotencyKey, today, created } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof TodoFormSchema>>({
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  });
  const report = actionData?.report ?? null;
  const vars = {
    count: report?.errorCount ?? 0,
    max: TITLE_MAX,
    descriptionMax: TODO_DESCRIPTION_MAX,
  };
  const msg = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0], vars) : undefined);
  const labels: [{ id: string; errors?: string[] }, string][] = [
    [fields.titleJa, t('todo.titleJa')],
    [fields.descriptionJa, t('todo.descriptionJa')],
    [fields.titleEn, t('todo.titleEn')],
    [fields.descriptionEn, t('todo.descriptionEn')],
    [fields.dueDate, t('todo.dueDate')],
    [fields.actionUrl, t('todo.actionUrl')],
    [fields.audienceFile, t('csv.file')],
  ];
  const summary: FieldError[] = labels
    .filter(([field]) => field.errors?.length)
    .map(([field, label]) => ({ id: field.id, label, message: msg(field.errors) ?? '' }));

  return (
    <div className="page">
      <h1>{t('todo.title')}</h1>
      <p>{t('todo.lead')}</p>
      {created && !actionData ? (
        <Notice focusKey={created}>{t('todo.created', { count: created })}</Notice>
      ) : null}
      <Form
        method="post"
        encType="multipart/form-data"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
      >
        <ErrorSummary
          errors={summary}
          formError={form.errors?.length || fields.idempotencyKey.errors ? t('errors.form') : null}
        />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <FormDraft name="todo" />
        <p>{t('todo.languagesHint')}</p>
        {(['Ja', 'En'] as const).map((l) => {
          const title = fields[`title${l}`];
          const description = fields[`description${l}`];
          const contentLang = l === 'Ja' ? 'ja' : 'en';
          return (
            <fieldset key={l}>
              <legend>{t(`compose.language${l}`)}</legend>
              <Field
                id={title.id}
                label={t(`todo.title${l}`)}
                hint={t('compose.titleHint', { max: TITLE_MAX })}
                error={msg(title.errors)}
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
                id={description.id}
                label={t(`todo.description${l}`)}
                hint={t('todo.descriptionHint', { max: TODO_DESCRIPTION_MAX })}
                error={msg(description.errors)}
              >
                {(describedBy, invalid) => (
                  <textarea
                    {...getTextareaProps(description)}
                    lang={contentLang}
                    rows={4}
                    cols={60}
                    maxLength={TODO_DESCRIPTION_MAX}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                  />
                )}
              </Field>
            </fieldset>
          );
        })}
        <Field
          id={fields.dueDate.id}
          label={t('todo.dueDate')}
          hint={t('todo.dueDateHint')}
          error={msg(fields.dueDate.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.dueDate, { type: 'date' })}
              min={today}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.actionUrl.id}
          label={t('todo.actionUrl')}
          hint={t('todo.actionUrlHint')}
          error={msg(fields.actionUrl.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.actionUrl, { type: 'text' })}
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              size={60}
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
          required
        />
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('todo.submit')}
          </button>
        </div>
      </Form>
    </div>
  );
}
