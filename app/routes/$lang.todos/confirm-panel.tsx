import { useEffect, useRef } from 'react';
import { Form, Link, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { TodoView } from './route.tsx';
import { userText } from '../../ui/user-text.ts';

/** Asks before a to-do is marked done or dismissed (?confirm=<id>, &intent=dismiss). */
export function ConfirmPanel({ confirm }: { confirm: TodoView & { intent: 'done' | 'dismiss' } }) {
  const { t } = useTranslation('todos');
  const { lang } = useParams();
  const panel = useRef<HTMLElement>(null);
  const foreign = (itemLang: string) => (itemLang === lang ? undefined : itemLang);

  // Opening the confirmation stays on this page: take the reader to it.
  const confirmKey = `${confirm.id}:${confirm.intent}`;
  useEffect(() => {
    if (confirmKey) panel.current?.focus();
  }, [confirmKey]);

  return (
    <section
      className="notice notice--warning todo-confirm"
      aria-labelledby="todo-confirm-title"
      tabIndex={-1}
      ref={panel}
    >
      <h2 id="todo-confirm-title">
        {t(confirm.intent === 'done' ? 'confirm.doneTitle' : 'confirm.dismissTitle')}
      </h2>
      <p>
        <strong lang={foreign(confirm.lang)}>{userText(confirm.title)}</strong>
      </p>
      <p>{t('confirm.lead')}</p>
      <Form method="post" action={`/${lang}/todos`} className="button-row">
        <input type="hidden" name="intent" value={confirm.intent} />
        <input type="hidden" name="todoId" value={confirm.id} />
        <button type="submit" className="button button--primary">
          {t(confirm.intent === 'done' ? 'confirm.doneButton' : 'confirm.dismissButton')}
        </button>
        <Link to={`/${lang}/todos`}>{t('confirm.cancel')}</Link>
      </Form>
    </section>
  );
}
