import { describe, expect, it } from 'vitest';
import { actionLink, addDays, daysBetween, pickTitle, todoState } from './todo.ts';

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

  it('counts calendar days across month and year ends', () => {
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-31', -31)).toBe('2026-02-28');
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
