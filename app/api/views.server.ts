import type { z } from 'zod';
import type { Locale } from '../i18n/locales.ts';
import type { NoticeSummary, Todo } from './api.schema.ts';
import type { InboxItem } from '../notices/notice.service.server.ts';
import type { Todo as TodoModel } from '../todos/todo.ts';

/** Domain values in the API's wire shape (snake_case, ISO dates). */
export const noticeSummaryView = (i: InboxItem): z.infer<typeof NoticeSummary> => ({
  id: i.id,
  kind: i.kind,
  sender: i.sender,
  lang: i.lang,
  title: i.title,
  published_at: i.publishAt.toISOString(),
  unread: i.unread,
});

export function todoView(t: TodoModel, locale: Locale): z.infer<typeof Todo> {
  const own = locale === 'en' ? t.titleEn : t.titleJa;
  const lang: Locale = own !== null ? locale : locale === 'en' ? 'ja' : 'en';
  return {
    id: t.id,
    lang,
    title: (lang === 'en' ? t.titleEn : t.titleJa) ?? '',
    description: lang === 'en' ? t.descriptionEn : t.descriptionJa,
    due_date: t.dueDate,
    action_url: t.actionUrl,
    status: t.status,
    state: t.state,
  };
}
