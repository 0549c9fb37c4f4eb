/**
 * Text that people typed (notice titles and bodies, names of residents, staff, groups, clients,
 * passkeys, to-dos), made safe to show. Unicode's bidirectional controls — embeddings and
 * overrides U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C — would
 * otherwise reorder what follows them: a title could show reversed text ("Trojan Source").
 * Each is shown as a visible code such as ⟨U+202E⟩ instead, in pages and in CSV exports, so
 * nothing is hidden and nothing is reordered; right-to-left scripts still display as they
 * should (the browser orders them without controls). Text without them is returned as it is.
 * (docs/decisions/0022-bidi-controls.md)
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function userText(text: string): string;
export function userText(text: string | null | undefined): string | null | undefined;
export function userText(text: string | null | undefined): string | null | undefined {
  if (!text) return text;
  return text.replace(
    BIDI_CONTROLS,
    (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}

const JAPANESE_SCRIPT = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;

/** Whether typed text is written in Japanese script (kana or kanji, 𠮷 included). */
export function isJapaneseScript(text: string): boolean {
  return JAPANESE_SCRIPT.test(text);
}
