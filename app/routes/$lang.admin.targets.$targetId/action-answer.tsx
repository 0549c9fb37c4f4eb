import type { useActionData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';
import { useFocusOnChange } from '../../ui/focus.ts';
import type { action } from './route.tsx';

type Answer = NonNullable<ReturnType<typeof useActionData<typeof action>>>;

/** What the last action did, or why it did nothing: where the clerk continues. */
export function ActionAnswer({ answer }: { answer: Answer | undefined }) {
  const { t } = useTranslation('adminTargets');
  const refusal = refusalText(answer, t);
  const alertBox = useFocusOnChange<HTMLDivElement>(refusal ? answer : null);
  if (answer && 'moved' in answer && answer.moved)
    return (
      <Notice focusKey={answer}>
        <p>
          {t('moves.done', {
            from: t(`states.${answer.moved.from}`),
            to: t(`states.${answer.moved.to}`),
          })}
        </p>
      </Notice>
    );
  if (answer && 'done' in answer)
    return (
      <Notice focusKey={answer}>
        <p>{t('handover.done')}</p>
      </Notice>
    );
  if (!refusal) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={alertBox}>
      <p>{refusal}</p>
    </div>
  );
}

/** A refusal said in words; a form's own field errors are shown by that form instead. */
function refusalText(
  answer: Answer | undefined,
  t: ReturnType<typeof useTranslation<'adminTargets'>>['t'],
): string | null {
  if (!answer || !('error' in answer) || !answer.error) return null;
  if (answer.intent === 'handover') {
    const state = 'state' in answer && answer.state ? t(`states.${answer.state}`) : '';
    return t(`handover.errors.${answer.error}`, { state });
  }
  if (answer.error === 'reason_required' || answer.error === 'reason_too_long') return null;
  const refused = 'refused' in answer ? answer.refused : undefined;
  if (refused?.outcome === 'changed')
    return t('moves.errors.changed', { state: t(`states.${refused.state}`) });
  if (refused?.outcome === 'not_allowed')
    return t('moves.errors.not_allowed', { from: t(`states.${refused.from}`) });
  return t('moves.errors.invalid');
}
