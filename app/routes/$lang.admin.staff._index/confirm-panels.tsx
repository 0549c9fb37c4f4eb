import type { RefObject } from 'react';
import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { langOf } from './lang-of.ts';
import { userText } from '../../ui/user-text.ts';

type Group = { id: string; name: string };

/**
 * The page moves the reader to whichever panel is open; the heading takes its ref.
 * Both panels post to the index route's own action (see `formAction` in route.tsx).
 */
type PanelProps = { formAction: string; headingRef: RefObject<HTMLHeadingElement> };

/** Ticks a staff member's groups. */
export function MembershipsPanel({
  member,
  groups,
  formAction,
  headingRef,
}: PanelProps & {
  member: { id: string; displayName: string; groupIds: string[] };
  groups: Group[];
}) {
  const { t } = useTranslation('adminStaff');
  const { lang } = useParams();
  return (
    <section className="notice notice--info" aria-labelledby="edit-title">
      <h2 id="edit-title" ref={headingRef} tabIndex={-1}>
        {t('memberships.title', { name: member.displayName })}
      </h2>
      <p>{t('memberships.lead')}</p>
      <Form method="post" action={formAction} replace key={member.id}>
        <input type="hidden" name="intent" value="memberships" />
        <input type="hidden" name="accountId" value={member.id} />
        <fieldset>
          <legend>{t('memberships.legend')}</legend>
          {groups.map((g) => (
            <div className="checkbox" key={g.id}>
              <input
                type="checkbox"
                id={`member-${g.id}`}
                name="groups"
                value={g.id}
                defaultChecked={member.groupIds.includes(g.id)}
              />
              <label htmlFor={`member-${g.id}`} lang={langOf(g.name)}>
                {userText(g.name)}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('memberships.save')}
          </button>
          <Link to={`/${lang}/admin/staff`}>{t('memberships.cancel')}</Link>
        </div>
      </Form>
    </section>
  );
}

/** Asks before disabling an account; explains instead when it may not be disabled. */
export function DisablePanel({
  member,
  me,
  formAction,
  headingRef,
}: PanelProps & {
  member: { id: string; displayName: string; lastAdministrator: boolean };
  me: string;
}) {
  const { t } = useTranslation('adminStaff');
  const { lang } = useParams();
  return (
    <section className="notice notice--warning" aria-labelledby="confirm-title">
      <h2 id="confirm-title" ref={headingRef} tabIndex={-1}>
        {t('disable.confirmTitle', { name: member.displayName })}
      </h2>
      {member.id === me ? (
        <p>{t('disable.self')}</p>
      ) : member.lastAdministrator ? (
        <p>{t('disable.lastAdministrator', { name: member.displayName })}</p>
      ) : (
        <p>{t('disable.confirmLead')}</p>
      )}
      <Form method="post" action={formAction} replace className="button-row">
        <input type="hidden" name="intent" value="disable" />
        <input type="hidden" name="accountId" value={member.id} />
        {member.id !== me && !member.lastAdministrator ? (
          <button type="submit" className="button button--danger">
            {t('disable.confirmButton')}
          </button>
        ) : null}
        <Link to={`/${lang}/admin/staff`}>{t('disable.cancel')}</Link>
      </Form>
    </section>
  );
}
