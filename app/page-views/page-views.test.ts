import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { loaderArgs, routeContext, settle, staffWithSession } from '../../test/support/routes.ts';
import { pageViewsOf } from '../../test/support/maintenance.ts';
import { loader } from '../routes/$lang.admin.page-views.tsx';
import { countPageView, flushPageViews } from './page-views.service.server.ts';

/** Page views (issue 14): counted in memory, written in one batch, shown per route and day. */
const database = useTestDatabase();
const db = () => database.connection.db;

describe('page views', () => {
  it('add up in memory and reach the database only when flushed, batch after batch', async () => {
    const route = `routes/$lang.views-${Date.now()}`;
    for (let i = 0; i < 3; i++) countPageView(db(), route);
    countPageView(db(), `${route}.other`);
    expect(await pageViewsOf(db(), route)).toBe(0);
    await flushPageViews(db());
    expect(await pageViewsOf(db(), route)).toBe(3);
    expect(await pageViewsOf(db(), `${route}.other`)).toBe(1);
    countPageView(db(), route);
    await flushPageViews(db());
    await flushPageViews(db()); // nothing pending: writes nothing
    expect(await pageViewsOf(db(), route)).toBe(4);
  });

  it('are shown to staff with delivery:read, per route and the last seven days', async () => {
    const route = `routes/$lang.shown-${Date.now()}`;
    countPageView(db(), route);
    countPageView(db(), route, new Date(Date.now() - 86_400_000));
    await flushPageViews(db());
    const reader = await staffWithSession(db(), ['delivery:read']);
    const other = await staffWithSession(db(), ['operations:read']);
    const path = '/ja/admin/page-views';
    const refused = await settle(() =>
      loader(
        loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie: other.cookie }),
      ),
    );
    expect((refused as Response).status).toBe(403);
    const page = await loader(
      loaderArgs(routeContext(db()), { path, params: { lang: 'ja' }, cookie: reader.cookie }),
    );
    expect(page.days).toHaveLength(7);
    expect(page.rows.find((r) => r.route === route)).toMatchObject({
      counts: [1, 1, 0, 0, 0, 0, 0],
      total: 2,
    });
  });
});
