/**
 * An import as an <option> of the letters and export pages: "髙橋.csv (confirmed 3 December 2026,
 * 120 lines)". An option holds plain text only, so it cannot mark its file name as Japanese
 * inside an English sentence: a file name in Japanese script makes the whole option Japanese
 * (read in one Japanese voice, as the city's own name for the list), any other stays in the
 * page's language.
 */
import { formatDate } from '../i18n/dates.ts';
import { type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/i18next.server.ts';
import { isJapaneseScript, userText } from '../ui/user-text.ts';

type OptionKey = 'adminTargetLetters:choose.importOption' | 'adminTargetExport:form.importOption';

export type ImportOption = { id: string; label: string; lang?: 'ja' };

export function importOption(
  key: OptionKey,
  locale: Locale,
  i: { id: string; fileName: string; confirmedAt: Date | null; lineCount: number | null },
): ImportOption {
  const lang: Locale = isJapaneseScript(i.fileName) ? 'ja' : locale;
  const label = translator(lang)(key, {
    file: userText(i.fileName),
    date: i.confirmedAt ? formatDate(i.confirmedAt, lang) : '',
    lines: i.lineCount ?? 0,
  });
  return lang === locale ? { id: i.id, label } : { id: i.id, label, lang: 'ja' };
}
