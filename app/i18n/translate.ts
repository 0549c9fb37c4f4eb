/**
 * The translator pages render with, on the server and in the browser alike (decision 0070): the
 * few i18next features our texts use, over the same resources, in ~1 KB instead of i18next's
 * ~15 KB gzipped in every page's JavaScript. i18next stays the source of truth for everything
 * outside pages (mails, jobs, problem documents: app/i18n/i18next.server.ts), and a test proves
 * this returns exactly what i18next returns for every key of every namespace
 * (app/i18n/translate.test.ts).
 *
 * What it does, as our i18next configuration does: `ns:key` (namespace separator `:`, unless
 * `nsSeparator: false`), nested keys with `.`, the `ns`, `lng`, `defaultValue` and `count`
 * options, plurals by suffix (`_zero` for 0, then Intl.PluralRules' `_one`/`_other`…, then the
 * bare key, then `_other`), `{{name}}` interpolation (nested paths `{{a.b}}` too) with every
 * value passed through userText (bidirectional controls shown as codes; React escapes HTML), a
 * variable not given left as written. A missing key gives the key itself (without its namespace).
 */
import type { TFunction } from 'i18next';
import { userText } from '../ui/user-text.ts';

type Tree = { readonly [key: string]: unknown };
type Options = { readonly [name: string]: unknown };
type Listener = () => void;
type Translate = (key: string, options?: Options) => string;

const DEFAULT_NS = 'common';
const VARIABLE = /\{\{(.+?)\}\}/g;

const plurals = new Map<string, Intl.PluralRules>();
function pluralSuffix(lng: string, count: number): string {
  let rules = plurals.get(lng);
  if (!rules) plurals.set(lng, (rules = new Intl.PluralRules(lng)));
  return `_${rules.select(count)}`;
}

/** i18next's makeString: null and undefined as '', anything else as its string. */
const asString = (value: unknown): string =>
  value == null ? '' : typeof value === 'string' ? value : String(value as string);

function find(tree: unknown, path: string): unknown {
  let node = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Tree)[part];
  }
  return node;
}

function interpolate(text: string, data: Options): string {
  if (!text.includes('{{')) return text;
  return text.replace(VARIABLE, (match, name: string) => {
    const variable = name.trim();
    const value = find(data, variable);
    if (value === undefined)
      return Object.prototype.hasOwnProperty.call(data, variable) ? '' : match;
    return userText(asString(value));
  });
}

/** A cache key for a lookup's options, or null when they are not all plain values. */
export function cacheKey(key: string, options: unknown): string | null {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
  let id = key;
  for (const name in options) {
    const value = (options as Options)[name];
    const type = typeof value;
    if (value === undefined) continue;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return null;
    id += `\u0000${name}\u0001${type[0]}${String(value as string)}`;
  }
  return id;
}

const MAX_CACHED = 10_000;

/**
 * One language's translations for pages: the bundles it holds (all of them on the server; in
 * the browser those the document carried and those navigation loaded) and lookups over them.
 * Lookups are cached (a page's header asks for the same strings on every request); the cache
 * empties when a bundle arrives, since a key missing until then translated to itself.
 */
export class PageTranslations {
  readonly language: string;
  private readonly bundles = new Map<string, Tree>();
  private readonly listeners = new Set<Listener>();
  private readonly cache = new Map<string, string>();
  private readonly fixed = new Map<string, TFunction>();
  /** For app/i18n/route-translations.tsx: told when a bundle is added. */
  readonly store = {
    on: (_event: 'added', listener: Listener) => void this.listeners.add(listener),
    off: (_event: 'added', listener: Listener) => void this.listeners.delete(listener),
  };

  constructor(language: string, resources?: { readonly [lng: string]: Tree }) {
    this.language = language;
    for (const [lng, namespaces] of Object.entries(resources ?? {}))
      for (const [ns, tree] of Object.entries(namespaces))
        this.bundles.set(`${lng}/${ns}`, tree as Tree);
  }

  hasResourceBundle(lng: string, ns: string): boolean {
    return this.bundles.has(`${lng}/${ns}`);
  }

  /** As i18next's, always deep and overwriting (the last two arguments are ignored). */
  addResourceBundle(
    lng: string,
    ns: string,
    tree: unknown,
    _deep?: boolean,
    _overwrite?: boolean,
  ): void {
    this.bundles.set(`${lng}/${ns}`, tree as Tree);
    this.cache.clear();
    for (const listener of this.listeners) listener();
  }

  /** `t` as i18next's: a key (`ns:key` or a key of the default namespace) and options. */
  readonly t: TFunction = ((key: string, options?: Options) => {
    if (options === undefined) return this.cached(key, key, undefined);
    const id = cacheKey(key, options);
    return id === null ? this.translate(key, options) : this.cached(id, key, options);
  }) as unknown as TFunction;

  /** A `t` bound to a namespace (and key prefix), as `useTranslation(ns)` gives. */
  getFixedT(lng?: string | null, ns?: string | null, keyPrefix?: string): TFunction {
    const scope = `${lng ?? ''}|${ns ?? ''}|${keyPrefix ?? ''}`;
    let fixed = this.fixed.get(scope);
    if (!fixed) {
      const t = this.t as unknown as Translate;
      const bound: Translate = (key, options) =>
        t(keyPrefix ? `${keyPrefix}.${key}` : key, {
          ...(lng ? { lng } : {}),
          ...(ns ? { ns } : {}),
          ...options,
        });
      fixed = bound as unknown as TFunction;
      this.fixed.set(scope, fixed);
    }
    return fixed;
  }

  private cached(id: string, key: string, options: Options | undefined): string {
    const known = this.cache.get(id);
    if (known !== undefined) return known;
    const text = this.translate(key, options ?? {});
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(id, text);
    return text;
  }

  private translate(fullKey: string, options: Options): string {
    let ns = typeof options.ns === 'string' ? options.ns : DEFAULT_NS;
    let key = fullKey;
    if (options.nsSeparator !== false && key.includes(':')) {
      const parts = key.split(':');
      ns = parts.shift() ?? ns;
      key = parts.join('.');
    }
    const lng = typeof options.lng === 'string' ? options.lng : this.language;
    const tree = this.bundles.get(`${lng}/${ns}`);
    const count = options.count;
    // Tried from the last: `_zero` for 0, the language's form, the bare key, then `_other`.
    const candidates = [key];
    if (count !== undefined && typeof count !== 'string') {
      const suffix = pluralSuffix(lng, Number(count));
      if (suffix !== '_other') candidates.unshift(`${key}_other`);
      candidates.push(key + suffix);
      if (count === 0) candidates.push(`${key}_zero`);
    }
    let found: unknown;
    for (let i = candidates.length - 1; i >= 0 && typeof found !== 'string'; i--)
      found = find(tree, candidates[i] ?? '');
    const text =
      typeof found === 'string'
        ? found
        : typeof options.defaultValue === 'string'
          ? options.defaultValue
          : key;
    return interpolate(text, options);
  }
}
