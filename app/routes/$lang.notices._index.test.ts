import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import {
  loaderArgs,
  residentWithSession,
  routeContext,
  settle,
  staffWithSession,
} from '../../test/support/routes.ts';
import { publishNotice } from '../notices/notice.service.server.ts';
import { loader } from './$lang.notices._index.tsx';

/**
 * The resident inbox's loader, called directly with a real database: the pattern for
 * resident pages (who may see it, what it shows, how it reads its query string).
 */
const database = useTestDatabase();
const db = () => database.connection.db;

async function noticeFor(residentId: string, titleJa: string, titleEn: string | null = null) {
  return publishNotice(db(), {
    audience: { type: 'list', residentIds: [residentId] },
    sender: 'municipality',
    titleJa,
    bodyJa: '本文',
    titleEn,
    bodyEn: titleEn === null ? null : 'Body',
    publishAt: new Date(Date.now() - 60_000),
    expiresAt: null,
    createdBy: null,
  });
}

describe('resident inbox loader', () => {
  it('sends a visitor without a session to sign in, and back here afterwards', async () => {
    const response = await settle(() =>
      loader(loaderArgs(routeContext(db()), { path: '/en/notices?q=tax', params: { lang: 'en' } })),
    );
    expect(response).toBeInstanceOf(Response);
    const location = (response as Response).headers.get('location') ?? '';
    expect((response as Response).status).toBe(302);
    expect(location.startsWith('/en/sign-in?redirectTo=')).toBe(true);
    expect(new URL(location, 'http://x').searchParams.get('redirectTo')).toBe('/en/notices?q=tax');
  });

  it('sends a signed-in staff member to the resident sign-in: staff have no inbox', async () => {
    const staff = await staffWithSession(db(), []);
    const response = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), {
          path: '/ja/notices',
          params: { lang: 'ja' },
          cookie: staff.cookie,
        }),
      ),
    );
    expect(response instanceof Response && response.headers.get('location')).toMatch(
      /^\/ja\/sign-in\?/,
    );
  });

  it("lists the resident's own notices in the page's language, newest first, and filters by words", async () => {
    const me = await residentWithSession(db());
    const other = await residentWithSession(db());
    await noticeFor(me.residentId, '固定資産税のお知らせ', 'Property tax');
    await noticeFor(me.residentId, '健診のご案内', null);
    await noticeFor(other.residentId, '他人宛て', 'Not yours');

    const context = routeContext(db());
    const all = await loader(
      loaderArgs(context, { path: '/en/notices', params: { lang: 'en' }, cookie: me.cookie }),
    );
    expect(all.items.map((i) => i.title)).toEqual(['健診のご案内', 'Property tax']);
    expect(all.unread).toBe(2);
    expect(all.nextHref).toBeNull();

    const searched = await loader(
      loaderArgs(context, { path: '/en/notices?q=tax', params: { lang: 'en' }, cookie: me.cookie }),
    );
    expect(searched.filters.q).toBe('tax');
    expect(searched.items.map((i) => i.title)).toEqual(['Property tax']);
  });
});
