import { useEffect } from 'react';
import { useRevalidator } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';

/**
 * While the job reads the file: a progress bar with its name and the count in words. With
 * JavaScript the data is revalidated every 2 seconds; without, the page's noscript refresh
 * (the loader's refreshWithoutScript) reloads it.
 */
export function ImportProgress({
  linesRead,
  linesTotal,
  format,
}: {
  linesRead: number;
  linesTotal: number;
  format: (n: number) => string;
}) {
  const { t } = useTranslation('adminTargetImport');
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t('progress.heading')}</h2>
      <label htmlFor="import-progress" className="field__label">
        {t('progress.label')}
      </label>
      <progress
        id="import-progress"
        max={Math.max(linesTotal, 1)}
        value={Math.min(linesRead, linesTotal)}
        aria-describedby="progress-text"
      />
      <p id="progress-text">
        {t('progress.text', { read: format(linesRead), total: format(linesTotal) })}
      </p>
      <p>{t('progress.note')}</p>
    </section>
  );
}
