import { describe, expect, it } from 'vitest';
import { actionLink, isTodoLink, pickTitle, todoState } from './todo.ts';
import { OFF_SITE, SAME_SITE } from '../../test/support/link-attacks.ts';

describe('todoState', () => {
  const today = '2026-04-01';
  it('is overdue only for an open to-do whose last day has passed', () => {
    expect(todoState({ status: 'open', dueDate: '2026-03-31' }, today)).toEqual({
      state: 'overdue',
      daysLeft: -1,
      dueSoon: false,
    });
    expect(todoState({ status: 'done', dueDate: '2026-03-31' }, today).state).toBe('done');
    expect(todoState({ status: 'dismissed', dueDate: '2026-03-01' }, today).state).toBe(
      'dismissed',
    );
  });

  it('is due soon from the due day itself up to seven days ahead', () => {
    expect(todoState({ status: 'open', dueDate: today }, today)).toEqual({
      state: 'open',
      daysLeft: 0,
      dueSoon: true,
    });
    expect(todoState({ status: 'open', dueDate: '2026-04-08' }, today).dueSoon).toBe(true);
    expect(todoState({ status: 'open', dueDate: '2026-04-09' }, today).dueSoon).toBe(false);
    expect(todoState({ status: 'open', dueDate: null }, today)).toEqual({
      state: 'open',
      daysLeft: null,
      dueSoon: false,
    });
  });
});

describe('actionLink', () => {
  it('opens paths on this site in the page language', () => {
    expect(actionLink('/reservations/new', 'en')).toEqual({
      href: '/en/reservations/new',
      external: false,
      host: null,
    });
    expect(actionLink('/ja/insurance', 'en')?.href).toBe('/en/insurance');
  });

  it('sends links to other domains through the leaving page', () => {
    expect(actionLink('https://www.city.miura.kanagawa.jp/a?b=1&c=2', 'ja')).toEqual({
      href: `/ja/leaving?to=${encodeURIComponent('https://www.city.miura.kanagawa.jp/a?b=1&c=2')}`,
      external: true,
      host: 'www.city.miura.kanagawa.jp',
    });
  });

  it('gives no link for anything else', () => {
    for (const url of [
      null,
      '//evil.example/x',
      '/\\evil.example',
      'http://x.example',
      'javascript:alert(1)',
    ])
      expect(actionLink(url, 'ja'), String(url)).toBeNull();
  });

  it('never gives a same-site link that a browser follows to another host', () => {
    for (const url of [...OFF_SITE, ...SAME_SITE]) {
      const link = actionLink(url, 'en');
      if (!link) continue;
      const there = new URL(link.href, 'https://madoguchi.example.jp/en/todos');
      expect(there.origin, JSON.stringify(url)).toBe('https://madoguchi.example.jp');
      // Another site only through the leaving page, and only an https one.
      if (link.external) {
        expect(there.pathname).toBe('/en/leaving');
        expect(new URL(there.searchParams.get('to') ?? '').host).toBe(link.host);
      }
    }
    expect(actionLink('/\t/evil.example/tab', 'en')).toBeNull();
    expect(actionLink('https://www.city.example.jp@evil.example/', 'en')).toBeNull();
  });
});

describe('isTodoLink', () => {
  it('stores only what actionLink follows, as written', () => {
    expect(isTodoLink('/reservations/new')).toBe(true);
    expect(isTodoLink('https://www.jpki.go.jp/')).toBe(true);
    for (const url of [...OFF_SITE, ...SAME_SITE]) {
      if (!isTodoLink(url)) continue;
      expect(actionLink(url, 'ja'), JSON.stringify(url)).not.toBeNull();
      expect(url, 'nothing a browser drops').toMatch(/^[\x21-\x7e\u3000-\u9fff]+$/);
    }
    for (const url of ['/ja/../..//evil.example', '/.//evil.example', '/en/my ', ' /en/my'])
      expect(isTodoLink(url), url).toBe(false);
  });
});

describe('pickTitle', () => {
  it('uses the page language when written, else the other one with its tag', () => {
    const both = { titleJa: '申請', titleEn: 'Apply', descriptionJa: null, descriptionEn: 'Text' };
    expect(pickTitle(both, 'en')).toEqual({ lang: 'en', title: 'Apply', description: 'Text' });
    expect(pickTitle({ ...both, titleEn: null }, 'en')).toMatchObject({
      lang: 'ja',
      title: '申請',
    });
  });
});
