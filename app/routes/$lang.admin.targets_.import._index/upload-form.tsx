import { Form, useNavigation } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { TARGET_CSV_COLUMNS } from '../../targets/target-csv.ts';

export type Refusal = {
  reason: string;
  missing?: string[];
  unknown?: string[];
  repeated?: string[];
};

/** The file field, with what the file must hold in words and a whole-file refusal beside it. */
export function UploadForm({ refused }: { refused: Refusal | null }) {
  const { t } = useTranslation('adminTargetImport');
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const message = refused ? refusalText(t, refused) : undefined;
  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t('upload.heading')}</h2>
      <Form method="post" encType="multipart/form-data" className="form">
        <ErrorSummary errors={message ? [{ id: 'file', label: t('upload.file'), message }] : []} />
        <Field
          id="file"
          label={t('upload.file')}
          required
          error={message}
          hint={
            <>
              {t('upload.hintColumns')}{' '}
              <code lang="ja">{Object.values(TARGET_CSV_COLUMNS).join(',')}</code>
              <br />
              <MarkJapanese text={t('upload.hintEncoding')} />
              <br />
              {t('upload.hintSize')}
            </>
          }
        >
          {(describedBy, invalid) => (
            <input
              id="file"
              name="file"
              type="file"
              accept=".csv,.txt,text/csv"
              required
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('upload.button')}
          </button>
        </div>
      </Form>
    </section>
  );
}

function refusalText(t: TFunction<'adminTargetImport'>, r: Refusal): string {
  if (r.reason !== 'header') return t(`refused.${r.reason}`);
  const parts = [t('refused.header')];
  if (r.missing?.length) parts.push(t('refused.headerMissing', { columns: r.missing.join('、') }));
  if (r.unknown?.length) parts.push(t('refused.headerUnknown', { columns: r.unknown.join('、') }));
  if (r.repeated?.length)
    parts.push(t('refused.headerRepeated', { columns: r.repeated.join('、') }));
  return parts.join(' ');
}
