/**
 * The staff pages of the booking site's texts and the residents' pages, called directly on a
 * real database: permission, preview (stores nothing), save, publish, what residents see.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/database.ts';
import {
  contentAudit,
  contentClerk,
  storedVersions,
} from '../../../test/support/booking-content.ts';
import {
  actionArgs,
  loaderArgs,
  routeContext,
  settle,
  staffWithSession,
} from '../../../test/support/routes.ts';
import { action, loader } from './route.tsx';
import { loader as listLoader } from '../$lang.admin.reservations.content._index/route.tsx';
import { loader as pageLoader } from '../$lang.reservations.$page.tsx';
import { markdownTokens } from '../../ui/markdown.server.ts';
import { loader as signInLoader } from '../$lang.reservations.sign-in/route.tsx';

const database = useTestDatabase();
const db = () => database.connection.db;
const CITY = '142107'; // MADOGUCHI_CITY_CODE's default, as routeContext parses it
let editor: Awaited<ReturnType<typeof contentClerk>>;

beforeAll(async () => {
  editor = await contentClerk(db(), CITY);
});

const edit = (
  piece: string,
  locale: string,
  form: Record<string, string>,
  cookie = editor.cookie,
) =>
  settle(() =>
    action(
      actionArgs(routeContext(db()), {
        path: `/ja/admin/reservations/content/${piece}/${locale}`,
        params: { lang: 'ja', piece, locale },
        cookie,
        form,
      }),
    ),
  );

const residentPage = (lang: string, page: string) =>
  settle(() =>
    pageLoader(
      loaderArgs(routeContext(db()), {
        path: `/${lang}/reservations/${page}`,
        params: { lang, page },
      }),
    ),
  );

describe('the booking site text pages', () => {
  it('refuse staff without reservations:content (403) and store nothing', async () => {
    const other = await staffWithSession(db(), ['reservations:manage']);
    const list = await settle(() =>
      listLoader(
        loaderArgs(routeContext(db()), {
          path: '/ja/admin/reservations/content',
          params: { lang: 'ja' },
          cookie: other.cookie,
        }),
      ),
    );
    expect(list instanceof Response && list.status).toBe(403);
    const answer = await edit('faq', 'ja', { intent: 'publish', body: 'x' }, other.cookie);
    expect(answer instanceof Response && answer.status).toBe(403);
    expect(
      await storedVersions(db(), { municipalityCode: CITY, piece: 'faq', locale: 'ja' }),
    ).toEqual([]);
  });

  it('answer an unknown piece or language with 404', async () => {
    const page = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), {
          path: '/ja/admin/reservations/content/news/ja',
          params: { lang: 'ja', piece: 'news', locale: 'ja' },
          cookie: editor.cookie,
        }),
      ),
    );
    expect(page instanceof Response && page.status).toBe(404);
    const resident = await residentPage('en', 'notice');
    expect(resident instanceof Response && resident.status).toBe(404);
  });

  it('preview renders the text back and stores nothing; an empty text is a field error', async () => {
    expect(
      await edit('guide', 'en', { intent: 'preview', body: '## Bring\n\nYour letter' }),
    ).toMatchObject({
      preview: '## Bring\n\nYour letter',
      done: null,
    });
    expect(await edit('guide', 'en', { intent: 'save', body: '   ' })).toMatchObject({
      init: { status: 400 },
      data: { done: null, result: { error: { body: ['edit.errors.bodyRequired'] } } },
    });
    expect(
      await storedVersions(db(), { municipalityCode: CITY, piece: 'guide', locale: 'en' }),
    ).toEqual([]);
    expect(await residentPage('en', 'guide')).toMatchObject({ page: 'guide', body: null });
    expect(await contentAudit(db(), editor.accountId)).toEqual([]);
  });

  it('saves a draft residents do not see, then publishes it; the list and history say so', async () => {
    expect(
      await edit('guide', 'ja', { intent: 'save', body: '## 持ち物\n\n通知書' }),
    ).toMatchObject({
      done: { outcome: 'saved', version: 1 },
    });
    expect(await residentPage('ja', 'guide')).toMatchObject({
      body: null,
      title: 'ご利用の手引き',
    });
    expect(
      await edit('guide', 'ja', { intent: 'publish', body: '## 持ち物\n\n通知書' }),
    ).toMatchObject({
      done: { outcome: 'published', version: 1 },
    });
    // The page gets the text lexed (decision 0070): it renders tokens, without the parser.
    expect(await residentPage('ja', 'guide')).toMatchObject({
      body: markdownTokens('## 持ち物\n\n通知書'),
    });
    expect(await residentPage('en', 'guide')).toMatchObject({ body: null });

    const page = await loader(
      loaderArgs(routeContext(db()), {
        path: '/ja/admin/reservations/content/guide/ja',
        params: { lang: 'ja', piece: 'guide', locale: 'ja' },
        cookie: editor.cookie,
      }),
    );
    expect(page).toMatchObject({ latestBody: '## 持ち物\n\n通知書', publishedVersion: 1 });
    expect(page.history).toHaveLength(1);
    expect(page.history[0]?.publishedByName).toMatch(/^職員/);

    const list = await listLoader(
      loaderArgs(routeContext(db()), {
        path: '/ja/admin/reservations/content',
        params: { lang: 'ja' },
        cookie: editor.cookie,
      }),
    );
    expect(list.rows.find((r) => r.piece === 'guide' && r.locale === 'ja')).toMatchObject({
      published: { version: 1 },
      draft: null,
    });
    expect((await contentAudit(db(), editor.accountId)).map((e) => e.action)).toEqual([
      'booking_content.save',
      'booking_content.publish',
    ]);
  });

  it('shows the published notice on the sign-in page in its language only', async () => {
    await edit('notice', 'en', { intent: 'publish', body: 'Counters are closed on 29 December.' });
    const signIn = (lang: string) =>
      signInLoader(
        loaderArgs(routeContext(db()), { path: `/${lang}/reservations/sign-in`, params: { lang } }),
      );
    expect(await signIn('en')).toMatchObject({
      signedOut: false,
      notice: { body: markdownTokens('Counters are closed on 29 December.'), locale: 'en' },
    });
    expect(await signIn('ja')).toMatchObject({ notice: null });
  });
});
