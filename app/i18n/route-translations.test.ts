import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namespaces, type Namespace } from './locales.ts';
import { resources } from './resources.server.ts';
import { bundlesOf, translationsJson } from './route-translations.tsx';
import * as root from '../root.tsx';
import * as lang from '../routes/$lang.tsx';
import * as home from '../routes/$lang._index.tsx';
import * as inbox from '../routes/$lang.notices._index.tsx';

const app = resolve(import.meta.dirname, '..');
const routesDir = join(app, 'routes');

/** Route ids (file or folder names under app/routes) and their main module. */
function routeFiles(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const entry of readdirSync(routesDir)) {
    const path = join(routesDir, entry);
    if (statSync(path).isDirectory()) {
      const main = ['route.tsx', 'route.ts'].map((f) => join(path, f)).find((f) => existsSync(f));
      if (main) routes.set(entry, main);
    } else if (/\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry)) {
      routes.set(entry.replace(/\.tsx?$/, ''), path);
    }
  }
  return routes;
}

/** Flat-route parents: `$lang.admin.notices._index` sits in `$lang.admin`, then `$lang`. */
function parentsOf(id: string, ids: Set<string>): string[] {
  const segments = id.split('.');
  const parents: string[] = [];
  for (let n = segments.length - 1; n > 0; n--) {
    const candidate = segments.slice(0, n).join('.');
    if (ids.has(candidate)) parents.push(candidate);
  }
  return parents;
}

const nsPattern = namespaces.join('|');
/**
 * The namespaces a module and the modules it imports (relatively, within app/, server-only
 * ones and the translation files aside) render: `useTranslation('x')` (none: common) and keys
 * written with their namespace, `'x:key'`; `x@every` for such a key looked up in a language
 * given (`t('x:key', { lng })`), not the page's. Imports of type only count too (harmless).
 */
function namespacesUsed(file: string, seen = new Set<string>()): Set<string> {
  const used = new Set<string>();
  if (seen.has(file)) return used;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/useTranslation\(\s*([^)]*)\)/g)) {
    const args = m[1] ?? '';
    const named = [...args.matchAll(/['"](\w+)['"]/g)].map((a) => a[1] as Namespace);
    if (named.length === 0) used.add('common');
    for (const ns of named) used.add(ns);
  }
  // 'notices:write' is a permission, 'notices:inbox.title' a key: only a key's first part exists.
  for (const m of code.matchAll(new RegExp(`['"\`](${nsPattern}):(\\w+)`, 'g'))) {
    const ns = m[1] as Namespace;
    if (Object.hasOwn(resources.ja[ns], m[2] ?? '')) used.add(ns);
  }
  for (const m of code.matchAll(new RegExp(`\\bt\\(\\s*['"\`](${nsPattern}):[^)]*\\blng:`, 'g')))
    used.add(`${m[1]}@every`);
  for (const m of code.matchAll(/^import\s[^;]*?from\s+'(\.[^']+)'/gm)) {
    const target = resolve(dirname(file), m[1] ?? '');
    if (target.includes('.server.') || target.startsWith(join(app, 'locales'))) continue;
    if (!target.startsWith(app) || !existsSync(target)) continue;
    for (const ns of namespacesUsed(target, seen)) used.add(ns);
  }
  return used;
}

type Module = { handle?: unknown };
/** What a route declares, as namespacesUsed names it: `x`, and `x@every` in both languages. */
const declared = (module: Module) =>
  bundlesOf('ja', [module]).map(([lng, ns]) => (lng === 'ja' ? ns : `${ns}@every`));

describe('route translations', () => {
  it('every route declares (itself, or a route around it) each namespace its page renders', async () => {
    const routes = routeFiles();
    const ids = new Set(routes.keys());
    const rootNamespaces = declared(root);
    const missing: string[] = [];
    for (const [id, file] of routes) {
      const own = (await import(/* @vite-ignore */ file)) as Module & { default?: unknown };
      if (!own.default) continue; // a resource route (CSV, JSON) renders no page
      const chain = [id, ...parentsOf(id, ids)];
      const available = new Set<string>(rootNamespaces);
      for (const route of chain) {
        const module = (await import(/* @vite-ignore */ routes.get(route) ?? '')) as Module;
        for (const ns of declared(module)) available.add(ns);
      }
      for (const ns of namespacesUsed(file))
        if (!available.has(ns)) missing.push(`${relative(app, file)} renders "${ns}"`);
    }
    expect(missing).toEqual([]);
  });

  it('a resident page carries its own language and namespaces only, never staff texts', () => {
    const homePage = bundlesOf('en', [root, lang as Module, home]);
    const inboxPage = bundlesOf('ja', [root, lang as Module, inbox]);
    expect(homePage).toEqual([
      ['en', 'common'],
      ['en', 'home'],
      ['en', 'session'],
    ]);
    expect(inboxPage).toEqual([
      ['ja', 'common'],
      ['ja', 'notices'],
      ['ja', 'session'],
    ]);

    const data = JSON.parse(translationsJson('ja', inboxPage)) as {
      lng: string;
      bundles: Record<string, Record<string, unknown>>;
    };
    expect(data.lng).toBe('ja');
    expect(Object.keys(data.bundles)).toEqual(['ja']);
    expect(Object.keys(data.bundles.ja ?? {}).sort()).toEqual(['common', 'notices', 'session']);
    expect(data.bundles.ja?.notices).toEqual(resources.ja.notices);
    const json = translationsJson('en', homePage);
    expect(json).toContain(resources.en.home.title);
    expect(json).not.toContain(resources.ja.home.title);
    expect(json).not.toContain(resources.ja.common.skipToMain);
    for (const ns of namespaces.filter((n) => n.startsWith('admin')))
      expect(json).not.toContain(JSON.stringify(resources.en[ns]).slice(1, 40));
  });

  it('a page that previews the other language carries that language for those namespaces', () => {
    const compose = {
      handle: { i18n: ['adminNotices', 'notices'], i18nEveryLanguage: ['notices'] },
    };
    expect(bundlesOf('ja', [root, compose])).toEqual([
      ['ja', 'common'],
      ['ja', 'notices'],
      ['ja', 'adminNotices'],
      ['ja', 'session'],
      ['en', 'notices'],
    ]);
  });

  it('is safe inside a script element', () => {
    expect(
      translationsJson('ja', bundlesOf('ja', [{ handle: { i18n: namespaces } }])),
    ).not.toContain('<');
  });
});
