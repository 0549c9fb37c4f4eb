import type { ReactNode } from 'react';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { RecordTable } from '../../ui/record-table.tsx';
import { userText } from '../../ui/user-text.ts';
import type { loader } from './route.tsx';

/** Every field of the target, the state in words. */
export function TargetRecord() {
  const { t } = useTranslation('adminTargets');
  const { target } = useLoaderData<typeof loader>();
  const none = <span className="hint">{t('detail.none')}</span>;
  const code = (value: string | null) => (value ? <span translate="no">{value}</span> : none);
  const rows: [string, ReactNode][] = [
    [t('detail.name'), <span lang="ja">{userText(target.name)}</span>],
    [
      t('detail.nameKana'),
      target.nameKana ? <span lang="ja">{userText(target.nameKana)}</span> : none,
    ],
    [t('detail.birthDate'), target.birthDate],
    [t('detail.sex'), t(`detail.sexValue.${target.sex}`)],
    [t('detail.postalCode'), code(target.postalCode)],
    [t('detail.address'), <span lang="ja">{userText(target.address)}</span>],
    [t('detail.applicationId'), code(userText(target.applicationId))],
    [t('detail.manufactureNo'), code(userText(target.manufactureNo))],
    [t('detail.reservationId'), code(target.reservationId)],
    [t('detail.credentialsIssuedAt'), target.credentialsIssuedAt ?? none],
    [t('detail.state'), <strong>{t(`states.${target.state}`)}</strong>],
    [t('detail.stateChangedAt'), target.stateChangedAt],
    [t('detail.createdAt'), target.createdAt],
  ];
  return (
    <>
      <h2 id="record-title">{t('detail.record')}</h2>
      <RecordTable labelledBy="record-title" rows={rows} />
    </>
  );
}
