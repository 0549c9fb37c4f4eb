import { describe, expect, it } from 'vitest';
import { createI18n } from './i18next.server.ts';
import { locales, namespaces } from './locales.ts';
import { resources } from './resources.server.ts';
import { PageTranslations } from './translate.ts';

type Tree = { readonly [key: string]: unknown };
type Translate = (key: string, options?: Record<string, unknown>) => unknown;

const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [[path, value]] : leaves(value as Tree, path);
  });

/** A value for each variable: HTML (React's to escape) and a bidirectional control (ours). */
function variablesOf(texts: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const text of texts)
    for (const [, name] of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
      const path = (name ?? '').split('.');
      let node = data;
      for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[path.at(-1) ?? ''] = `<b>${name}</b> & a\u202Eb`;
    }
  return data;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

describe('the pages’ translator gives exactly what i18next gives', () => {
  for (const lng of locales) {
    const i18next = createI18n(lng);
    const ours = new PageTranslations(lng, resources);
    const theirs = i18next.t as unknown as Translate;
    const mine = ours.t as unknown as Translate;
    for (const ns of namespaces) {
      it(`${lng} ${ns}: every key, with its variables, counts 0/1/2/5, by ns:key and bound t`, () => {
        const all = leaves(resources[lng][ns] as Tree);
        const texts = new Map<string, string[]>();
        for (const [key, text] of all) {
          // `too_many` is a key of its own unless a sibling `too_other` makes it a plural form.
          const base = key.replace(PLURAL, '');
          const plural = base !== key && all.some(([k]) => k === `${base}_other`);
          for (const k of plural ? [key, base] : [key])
            texts.set(k, [...(texts.get(k) ?? []), text]);
        }
        const fixedTheirs = i18next.getFixedT(null, ns) as unknown as Translate;
        const fixedMine = ours.getFixedT(null, ns) as unknown as Translate;
        let checked = 0;
        for (const [key, forms] of texts) {
          const vars = variablesOf(forms);
          const variants: (Record<string, unknown> | undefined)[] = [
            undefined,
            vars,
            ...[0, 1, 2, 5].map((count) => ({ ...vars, count })),
          ];
          for (const options of variants) {
            const want = theirs(`${ns}:${key}`, options);
            expect(
              mine(`${ns}:${key}`, options),
              `${lng} ${ns}:${key} ${JSON.stringify(options)}`,
            ).toBe(want);
            expect(fixedMine(key, options), `${lng} fixed ${ns} ${key}`).toBe(
              fixedTheirs(key, options),
            );
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(0);
      });
    }
  }

  it('agrees on the options pages use and on what is missing', () => {
    const ours = new PageTranslations('en', resources);
    const mine = ours.t as unknown as Translate;
    const theirs = createI18n('en').t as unknown as Translate;
    const cases: [string, Record<string, unknown>?][] = [
      ['skipToMain'],
      ['no.such.key'],
      ['notices:no.such.key'],
      ['no.such.key', { defaultValue: 'Fallback {{x}}', x: 'y' }],
      ['adminAudit:csv.nothing', { defaultValue: 'nothing' }],
      ['permission.targets:read', { ns: 'admin', nsSeparator: false }],
      ['notices:inbox.title', { lng: 'ja' }],
      ['titleTemplate', {}],
      ['titleTemplate', { title: undefined }],
      ['titleTemplate', { title: null }],
      ['titleTemplate', { title: 42 }],
      ['titleTemplate', { title: 'a\u202Eb <i>' }],
      ['todos:due.soon', { count: 1 }],
      ['todos:due.soon', { count: 2, returnObjects: false }],
      ['todos:due.soon', { count: '2' }],
    ];
    for (const [key, options] of cases)
      expect(mine(key, options), `${key} ${JSON.stringify(options)}`).toBe(theirs(key, options));
    const prefixed = ours.getFixedT('en', 'common', 'languageSwitch') as unknown as Translate;
    const prefixedTheirs = createI18n('en').getFixedT('en', 'common', 'languageSwitch');
    expect(prefixed('ja')).toBe(prefixedTheirs('ja'));
  });

  it('tells when a bundle arrives and forgets what it cached without it', () => {
    const page = new PageTranslations('en');
    const t = page.t as unknown as Translate;
    expect(t('skipToMain')).toBe('skipToMain');
    let added = 0;
    page.store.on('added', () => added++);
    page.addResourceBundle('en', 'common', resources.en.common, true, true);
    expect(page.hasResourceBundle('en', 'common')).toBe(true);
    expect(added).toBe(1);
    expect(t('skipToMain')).toBe('Skip to main content');
  });
});
