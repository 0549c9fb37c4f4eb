/**
 * The booking site's editable texts (decision 0050): which pieces exist, in which languages,
 * and where residents read them. Pure, safe for the browser.
 */
import type { Locale } from '../i18n/locales.ts';

/** Every piece staff edit. `notice` is shown on the sign-in page; the others are pages. */
export const CONTENT_PIECES = ['notice', 'guide', 'faq', 'terms', 'privacy', 'contact'] as const;
export type ContentPiece = (typeof CONTENT_PIECES)[number];

/** The pieces with a page of their own at /{lang}/reservations/{piece}, in menu order. */
export const CONTENT_PAGES = ['guide', 'faq', 'terms', 'privacy', 'contact'] as const;
export type ContentPage = (typeof CONTENT_PAGES)[number];

/** The longest body a version may hold (the database checks it too). */
export const CONTENT_BODY_MAX = 20_000;

export const isContentPiece = (value: unknown): value is ContentPiece =>
  typeof value === 'string' && (CONTENT_PIECES as readonly string[]).includes(value);

export const isContentPage = (value: unknown): value is ContentPage =>
  typeof value === 'string' && (CONTENT_PAGES as readonly string[]).includes(value);

export const contentPagePath = (locale: Locale, page: ContentPage) =>
  `/${locale}/reservations/${page}`;

/** One saved version as staff see it in the history. */
export type ContentVersion = {
  version: number;
  body: string;
  createdByName: string;
  createdAt: Date;
  publishedByName: string | null;
  publishedAt: Date | null;
};

/** A piece in one language on the staff list: what residents see and whether a newer draft waits. */
export type ContentState = {
  piece: ContentPiece;
  locale: Locale;
  published: { version: number; byName: string; at: Date } | null;
  latestVersion: number | null;
};

/** A saved version newer than the published one (or any version while none is published). */
export const hasDraft = (state: Pick<ContentState, 'published' | 'latestVersion'>) =>
  state.latestVersion !== null &&
  (state.published === null || state.latestVersion > state.published.version);
