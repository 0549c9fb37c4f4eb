import { describe, expect, it } from 'vitest';
import { importOption } from './import-option.server.ts';

const at = new Date('2026-12-03T01:00:00Z');
const key = 'adminTargetLetters:choose.importOption' as const;

describe('an import as an option of the letters and export pages', () => {
  it('is read in Japanese, whole, when its file name is Japanese, even on an English page', () => {
    const option = importOption(key, 'en', {
      id: 'a',
      fileName: '𠮷田.csv',
      confirmedAt: at,
      lineCount: 4000,
    });
    expect(option).toEqual({
      id: 'a',
      label: '𠮷田.csv（2026年12月3日 確定、4000 行）',
      lang: 'ja',
    });
  });

  it('stays in the page’s language otherwise, and shows bidi controls as codes', () => {
    expect(
      importOption('adminTargetExport:form.importOption', 'en', {
        id: 'b',
        fileName: 'list\u202E.csv',
        confirmedAt: at,
        lineCount: 12,
      }),
    ).toEqual({ id: 'b', label: 'list⟨U+202E⟩.csv (imported 3 December 2026, 12 lines)' });
    expect(
      importOption(key, 'ja', { id: 'c', fileName: '髙橋.csv', confirmedAt: at, lineCount: 7 }),
    ).toEqual({ id: 'c', label: '髙橋.csv（2026年12月3日 確定、7 行）' });
  });
});
