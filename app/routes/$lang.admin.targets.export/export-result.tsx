import { useTranslation } from '../../i18n/react.tsx';
import { Notice } from '../../ui/form.tsx';

/** What a check found: the download, no targets, or why CP932 cannot hold them. Takes focus. */
export function ExportResult({
  result,
  focusKey,
}: {
  result: {
    rows: number;
    encoding: 'utf-8' | 'cp932';
    unmappable: { rows: number; characters: string[] } | null;
    href: string;
  };
  focusKey: string;
}) {
  const { t } = useTranslation('adminTargetExport');
  if (result.unmappable)
    return (
      <Notice tone="warning" focusKey={focusKey}>
        <h2>{t('refused.heading')}</h2>
        <p>
          {t('refused.body', {
            rows: result.unmappable.rows,
            characters: result.unmappable.characters.join(' '),
          })}
        </p>
      </Notice>
    );
  if (result.rows === 0)
    return (
      <Notice tone="info" focusKey={focusKey}>
        <p>{t('result.none')}</p>
      </Notice>
    );
  return (
    <Notice tone="success" focusKey={focusKey}>
      <h2>{t('result.heading')}</h2>
      <p>{t('result.count', { n: result.rows, encoding: t(`encodingName.${result.encoding}`) })}</p>
      <p>
        <a href={result.href} download>
          {t('result.download', { n: result.rows })}
        </a>
      </p>
      <p className="hint">{t('result.hint')}</p>
    </Notice>
  );
}
