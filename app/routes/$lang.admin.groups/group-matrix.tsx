import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { permissions } from '../../identity/permissions.ts';
import type { loader } from './route.tsx';
import { userText } from '../../ui/user-text.ts';
import { TableRegion } from '../../ui/table-region.tsx';

/** Names are data in whatever language they were typed: mark Japanese or Latin text as such. */
const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? 'ja'
    : /[A-Za-z]/.test(text)
      ? 'en'
      : undefined;

/** Groups down, permissions across: each row saves with its own form. */
export function GroupMatrix() {
  const { t } = useTranslation('adminStaff');
  const { t: tAdmin } = useTranslation('admin');
  const { groups } = useLoaderData<typeof loader>();
  // Permission codes contain ':', i18next's namespace separator: look them up literally.
  const label = (p: string) => tAdmin(`permission.${p}`, { nsSeparator: false });

  return (
    <>
      {groups.length === 0 ? (
        <p>{t('groups.empty')}</p>
      ) : (
        <TableRegion labelledBy="groups-caption">
          <table>
            <caption id="groups-caption">{t('groups.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('groups.group')}</th>
                {permissions.map((p) => (
                  <th scope="col" key={p}>
                    {label(p)}{' '}
                    <code lang="en" translate="no">
                      {p}
                    </code>
                  </th>
                ))}
                <th scope="col">{t('groups.save')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => {
                const formId = `group-${g.id}`;
                return (
                  // A new key after each save: the boxes start again from what was stored.
                  <tr key={`${g.id}:${g.permissions.join(',')}`}>
                    <th scope="row">
                      <span lang={langOf(g.name)}>{userText(g.name)}</span>
                      {g.description ? (
                        <div className="field__hint" lang={langOf(g.description)}>
                          {userText(g.description)}
                        </div>
                      ) : null}
                    </th>
                    {permissions.map((p) => {
                      const locked = g.administrators && p === 'staff:manage';
                      return (
                        <td key={p}>
                          <input
                            type="checkbox"
                            form={formId}
                            name="permission"
                            value={p}
                            defaultChecked={locked || g.permissions.includes(p)}
                            disabled={locked}
                            aria-label={t('groups.checkboxLabel', {
                              group: g.name,
                              permission: label(p),
                            })}
                            aria-describedby={locked ? 'protected-note' : undefined}
                          />
                          {locked ? (
                            <input type="hidden" form={formId} name="permission" value={p} />
                          ) : null}
                        </td>
                      );
                    })}
                    <td>
                      <Form method="post" id={formId}>
                        <input type="hidden" name="intent" value="permissions" />
                        <input type="hidden" name="groupId" value={g.id} />
                        <button
                          type="submit"
                          className="button button--secondary"
                          aria-label={t('groups.saveLabel', { name: g.name })}
                        >
                          {t('groups.save')}
                        </button>
                      </Form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
      {groups.some((g) => g.administrators) ? (
        <p id="protected-note" className="hint">
          {t('groups.protectedNote')}
        </p>
      ) : null}
    </>
  );
}
