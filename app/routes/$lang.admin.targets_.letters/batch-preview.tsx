import { Form, useNavigation } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import type { LetterBatchPreview } from '../../targets/target-letters.service.server.ts';

const FILTER_FIELDS = ['by', 'importId', 'from', 'to', 'state'] as const;

type Refusal = { error: 'tooMany'; count: number; max: number } | { error: 'empty' | 'invalid' };

/**
 * Step two: how many letters this choice prints, how many print the same password again, who
 * gets none; and the print button (a POST: printing moves targets and is audited).
 */
export function BatchPreview({
  choice,
  preview,
  answer,
}: {
  choice: Record<string, string>;
  preview: LetterBatchPreview;
  answer: Refusal | null;
}) {
  const { t } = useTranslation('adminTargetLetters');
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const result = useFocusOnChange<HTMLDivElement>(JSON.stringify(choice), { afterFirst: false });
  const refusal = useFocusOnChange<HTMLDivElement>(answer);
  const fresh = preview.printable - preview.withCredentials;
  const printable = preview.printable > 0 && preview.printable <= preview.max;

  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t('preview.heading')}</h2>
      <div
        role="status"
        tabIndex={-1}
        ref={result}
        className="notice notice--info"
        data-testid="batch-preview"
      >
        <p>{t('preview.summary', { count: preview.printable, matching: preview.matching })}</p>
        <ul>
          <li>{t('preview.withCredentials', { count: preview.withCredentials })}</li>
          <li>{t('preview.fresh', { count: fresh })}</li>
          {preview.notReady > 0 ? (
            <li>{t('preview.notReady', { count: preview.notReady })}</li>
          ) : null}
          {preview.excluded > 0 ? (
            <li>{t('preview.excluded', { count: preview.excluded })}</li>
          ) : null}
        </ul>
        {preview.printable > preview.max ? (
          <p>{t('preview.tooMany', { max: preview.max })}</p>
        ) : null}
      </div>
      {answer ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={refusal}>
          <p>{t(`preview.refused.${answer.error}`, 'max' in answer ? answer : {})}</p>
        </div>
      ) : null}
      {printable ? (
        <Form method="post" className="form">
          {FILTER_FIELDS.map((name) =>
            choice[name] ? (
              <input key={name} type="hidden" name={name} value={choice[name]} />
            ) : null,
          )}
          <p>{t('preview.printLead')}</p>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value="print"
              className="button button--primary"
              disabled={busy}
            >
              {t('preview.print', { count: preview.printable })}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
