import { Form, Link, useLoaderData, useParams, useSearchParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { loader } from './route.tsx';
import { userText } from '../../ui/user-text.ts';
import { TableRegion } from '../../ui/table-region.tsx';

/** Asks before removing the passkey named by ?remove=<id>; nothing when there is none. */
export function RemovePasskeyPanel() {
  const { t } = useTranslation('identity');
  const { lang } = useParams();
  const [search] = useSearchParams();
  const { passkeys } = useLoaderData<typeof loader>();
  const confirmRemove = passkeys.find((p) => p.id === search.get('remove'));
  if (!confirmRemove) return null;
  return (
    <section className="notice notice--warning" aria-labelledby="confirm-remove">
      <h3 id="confirm-remove">{t('security.removeConfirm', { name: confirmRemove.name })}</h3>
      <Form method="post" replace action={`/${lang}/my/security`} className="button-row">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="passkeyId" value={confirmRemove.id} />
        <input type="hidden" name="name" value={confirmRemove.name} />
        <button type="submit" className="button button--danger">
          {t('security.removeConfirmButton')}
        </button>
        <Link to={`/${lang}/my/security`}>{t('security.cancel')}</Link>
      </Form>
    </section>
  );
}

/** The account's passkeys: each renames in place, or links to its removal panel. */
export function PasskeysTable() {
  const { t } = useTranslation('identity');
  const { passkeys } = useLoaderData<typeof loader>();
  return (
    <TableRegion label={t('security.passkeys')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('security.name')}</th>
            <th scope="col">{t('security.created')}</th>
            <th scope="col">{t('security.lastUsed')}</th>
            <th scope="col">{t('security.rename')}</th>
            <th scope="col">{t('security.remove')}</th>
          </tr>
        </thead>
        <tbody>
          {passkeys.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {userText(p.name)}
                {p.synced ? <div className="field__hint">{t('security.synced')}</div> : null}
              </th>
              <td>{p.created}</td>
              <td>{p.lastUsed ?? t('security.never')}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="rename" />
                  <input type="hidden" name="passkeyId" value={p.id} />
                  <label className="visually-hidden" htmlFor={`rename-${p.id}`}>
                    {t('security.renameLabel', { name: p.name })}
                  </label>
                  <input
                    id={`rename-${p.id}`}
                    name="name"
                    type="text"
                    defaultValue={p.name}
                    maxLength={60}
                    required
                  />
                  <button type="submit" className="button button--secondary">
                    {t('security.rename')}
                  </button>
                </Form>
              </td>
              <td>
                <Link
                  to={`?remove=${p.id}`}
                  aria-label={`${t('security.remove')}: ${userText(p.name)}`}
                >
                  {t('security.remove')}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
