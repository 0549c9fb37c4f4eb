import type { z } from 'zod';
import { Form } from '@remix-run/react';
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { Locale } from '../../i18n/locales.ts';
import { CONTENT_BODY_MAX } from '../../reservations/content.ts';
import type { ContentEditSchema } from '../../reservations/content.schema.ts';
import { ContentBody } from '../../reservations/ui/content-body.tsx';
import { ErrorSummary, Field, Notice } from '../../ui/form.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';

type Reply = {
  result: SubmissionResult<string[]>;
  preview: string | null;
  done: { outcome: 'saved' | 'unchanged' | 'published'; version: number } | null;
};

/**
 * The text of one piece in one language, with three buttons: preview (stores nothing), save a
 * draft, publish. The preview is drawn by the same component as the residents' page.
 */
export function ContentForm({
  locale,
  defaultBody,
  reply,
}: {
  /** The language the text is written in. */
  locale: Locale;
  defaultBody: string;
  reply: Reply | null;
}) {
  const { t } = useTranslation('adminBookingContent');
  const [form, fields] = useForm<z.input<typeof ContentEditSchema>>({
    id: 'content',
    lastResult: reply?.result,
    defaultValue: { body: defaultBody },
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const bodyError = message(fields.body.errors);
  const summary = bodyError
    ? [{ id: fields.body.id, label: t('edit.body'), message: bodyError }]
    : [];
  const done = reply?.done ?? null;
  return (
    <>
      {done ? (
        <Notice focusKey={done}>{t(`edit.${done.outcome}`, { version: done.version })}</Notice>
      ) : null}
      <Form
        method="post"
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
        aria-label={t('edit.formLabel')}
      >
        <ErrorSummary errors={summary} formError={message(form.errors)} />
        <Field
          id={fields.body.id}
          label={t('edit.body')}
          hint={t('edit.bodyHint')}
          error={bodyError}
          required
        >
          {(describedBy, invalid) => (
            <textarea
              {...getTextareaProps(fields.body, { ariaAttributes: false })}
              lang={locale}
              rows={16}
              cols={70}
              maxLength={CONTENT_BODY_MAX}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" name="intent" value="preview" className="button">
            {t('edit.preview')}
          </button>
          <button type="submit" name="intent" value="save" className="button">
            {t('edit.save')}
          </button>
          <button type="submit" name="intent" value="publish" className="button button--primary">
            {t('edit.publish')}
          </button>
        </div>
      </Form>
      {reply?.preview != null ? (
        <Preview body={reply.preview} locale={locale} focusKey={reply} />
      ) : null}
    </>
  );
}

function Preview({ body, locale, focusKey }: { body: string; locale: Locale; focusKey: unknown }) {
  const { t } = useTranslation('adminBookingContent');
  // Each preview is announced by moving focus to it, as the button's result.
  const focus = useFocusOnChange<HTMLHeadingElement>(focusKey);
  return (
    <section className="preview" aria-labelledby="preview-title">
      <h2 id="preview-title" tabIndex={-1} ref={focus}>
        {t('edit.previewHeading')}
      </h2>
      <p>{t('edit.previewLead')}</p>
      <ContentBody body={body} locale={locale} headingOffset={1} />
    </section>
  );
}
