import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { localizePath } from './locales.ts';
import { createI18n } from './i18next.server.ts';
import { resources } from './resources.server.ts';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const variables = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translation resources', () => {
  it('have the same namespaces in ja and en', () => {
    expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.ja).sort());
  });

  for (const namespace of Object.keys(resources.ja) as (keyof typeof resources.ja)[]) {
    it(`"${namespace}" has the same keys and {{variables}} in ja and en, none empty`, () => {
      const ja = flatten(resources.ja[namespace] as Tree);
      const en = flatten(resources.en[namespace] as Tree);
      expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
      for (const [key, text] of ja) {
        expect(text.trim(), `ja ${namespace}:${key}`).not.toBe('');
        expect(en.get(key)?.trim(), `en ${namespace}:${key}`).not.toBe('');
        expect(variables(en.get(key) ?? ''), `${namespace}:${key}`).toEqual(variables(text));
      }
    });
  }

  it('resolve synchronously for the requested language', () => {
    expect(createI18n('en').t('skipToMain')).toBe('Skip to main content');
    expect(createI18n('ja').t('skipToMain')).toBe('本文へ移動');
    expect(createI18n('ja').t('titleTemplate', { title: 'お知らせ' })).toBe('お知らせ | 窓口');
  });
});

describe('localizePath', () => {
  it('swaps or adds the language segment and keeps the rest', () => {
    expect(localizePath('/ja/notices/12', 'en')).toBe('/en/notices/12');
    expect(localizePath('/en', 'ja')).toBe('/ja/');
    expect(localizePath('/en/', 'ja')).toBe('/ja/');
    expect(localizePath('/japan', 'en')).toBe('/en/japan');
    expect(localizePath('/', 'en')).toBe('/en/');
  });
});

describe('interpolated values', () => {
  it('keep HTML as it is (React escapes) and show bidirectional controls as codes', () => {
    const t = createI18n('en').t;
    expect(t('titleTemplate', { title: '<b>&' })).toBe('<b>& | Madoguchi');
    expect(t('titleTemplate', { title: 'a\u202Eb' })).toBe('a⟨U+202E⟩b | Madoguchi');
  });
});

describe('cached lookups', () => {
  it('give the same strings as i18next, with and without options, through fixed t', () => {
    const i18n = createI18n('en');
    const plain = i18next.createInstance();
    void plain.init({
      lng: 'en',
      resources,
      ns: Object.keys(resources.en),
      defaultNS: 'common',
      initAsync: false,
      interpolation: { escapeValue: false },
    });
    for (let round = 0; round < 2; round++) {
      expect(i18n.t('skipToMain')).toBe(plain.t('skipToMain'));
      expect(i18n.t('titleTemplate', { title: 'X' })).toBe('X | Madoguchi');
      expect(i18n.t('no.such.key')).toBe('no.such.key');
      const fixed = i18n.getFixedT('en', 'common');
      expect(fixed('skipToMain')).toBe('Skip to main content');
      expect(fixed('titleTemplate', { title: 'Y' })).toBe('Y | Madoguchi');
      expect(fixed('titleTemplate', { title: 'Z' })).toBe('Z | Madoguchi');
      expect(fixed('titleTemplate', { title: 1 })).toBe('1 | Madoguchi');
      expect(fixed('titleTemplate', { title: '1' })).toBe('1 | Madoguchi');
      expect(i18n.getFixedT('ja', 'common')('skipToMain')).toBe('本文へ移動');
      const todos = i18n.getFixedT('en', 'todos');
      expect(todos('due.soon', { count: 1 })).toBe('Due soon: 1 day left');
      expect(todos('due.soon', { count: 2 })).toBe('Due soon: 2 days left');
      expect(todos('due.soon', { count: 2, returnObjects: false })).toBe('Due soon: 2 days left');
      expect(i18n.getFixedT('en', 'common', 'languageSwitch')('ja')).toBe(
        plain.getFixedT('en', 'common', 'languageSwitch')('ja'),
      );
    }
  });
});
