import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Japan time is worked out in one place, app/i18n/dates.ts. Anywhere else, the offset written
 * by hand (`+09:00`, `9 * 3_600_000`, 32400 s) or the zone's name typed again is a second copy
 * of that rule, and copies drift: this test finds them.
 */
const HOME = 'app/i18n/dates.ts';
const ROOTS = ['app', 'jobs', 'scripts', 'db', 'bench', 'e2e', 'test', 'server.ts'];

const RULES: { name: string; pattern: RegExp; inTests: boolean }[] = [
  // Test data may write an instant as the clock in Japan reads it ('…T00:30:00+09:00').
  { name: 'the +09:00 offset', pattern: /\+09:?00/, inTests: false },
  {
    name: 'nine hours of milliseconds or seconds',
    pattern:
      /(?<![\d.])9\s*\*\s*(?:3_?600(?:_?000)?\b|60\s*\*\s*60)|\+\s*9\s*\)\s*\*\s*3_?600|\b32_?400\b/,
    inTests: true,
  },
  { name: 'the server zone offset', pattern: /getTimezoneOffset/, inTests: true },
  // SQL may say `at time zone 'Asia/Tokyo'`; script passes TIME_ZONE from dates.ts.
  { name: "the zone's name", pattern: /(?<!time zone )['"`]Asia\/Tokyo['"`]/i, inTests: true },
];

function sources(root: string): string[] {
  const files = root.includes('.')
    ? [root]
    : readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => join(root, f));
  return files.filter(
    (f) => /\.(ts|tsx|js|mjs)$/.test(f) && !/(^|\/)(node_modules|build)\//.test(f),
  );
}

/** Code without its comments: a comment may explain the offset, code may not use it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function offences(file: string): string[] {
  const isTest = /\.(test|spec)\.tsx?$/.test(file);
  const lines = code(readFileSync(file, 'utf8')).split('\n');
  return RULES.filter((r) => r.inTests || !isTest).flatMap((rule) =>
    lines
      .filter((line) => rule.pattern.test(line))
      .map((line) => `${file}: ${rule.name}: ${line.trim()}`),
  );
}

describe('Japan time lives in app/i18n/dates.ts', () => {
  const files = ROOTS.flatMap(sources).filter((f) => f !== HOME && f !== 'test/tokyo-time.test.ts');

  it('reads the sources it guards', () => {
    expect(files).toContain('app/audit/audit.ts');
    expect(files).toContain('e2e/admin-delivery.spec.ts');
    expect(files.length).toBeGreaterThan(200);
  });

  it('no other file writes the offset or the zone', () => {
    expect(files.flatMap(offences)).toEqual([]);
  });

  it('catches each way of writing the offset', () => {
    const caught = (line: string, test = false) =>
      RULES.some((r) => (r.inTests || !test) && r.pattern.test(line));
    expect(caught('new Date(`${day}T00:00:00+09:00`)')).toBe(true);
    expect(caught('date.getTime() + 9 * 3_600_000')).toBe(true);
    expect(caught('date.getTime() + 9 * 3600_000')).toBe(true);
    expect(caught('const JST = 9 * 60 * 60 * 1000;')).toBe(true);
    expect(caught('Date.now() + (hours + 9) * 3600_000')).toBe(true);
    expect(caught('const offsetSeconds = 32400;')).toBe(true);
    expect(caught('new Date().getTimezoneOffset()')).toBe(true);
    expect(caught("new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' })")).toBe(true);
    expect(caught("const day = new Date('2026-12-02T00:00:00+09:00');", true)).toBe(false);
    expect(caught("(published_at at time zone 'Asia/Tokyo')::date")).toBe(false);
    expect(caught('const limit = 19 * 3600;')).toBe(false);
    expect(caught('toBeGreaterThan(8.9 * 3600_000)')).toBe(false);
  });
});
