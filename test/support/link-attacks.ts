/**
 * Return paths and link targets that try to leave our origin, shared by the unit tests of
 * the one rule (app/platform/links.ts) and the end-to-end tests of every place that uses it.
 * Each of these must be refused, or end on our own origin.
 */
export const OFF_SITE: readonly string[] = [
  // Browsers drop tabs and newlines anywhere in a URL: these become //evil.example/….
  '/\t/evil.example/rt',
  '/\n/evil.example/nl',
  '/\r/evil.example/cr',
  '/\r\n/evil.example/crlf',
  '\t//evil.example/lead-tab',
  // …and leading or trailing spaces and control characters.
  ' //evil.example/space',
  '\u0000//evil.example/nul',
  '\u001f//evil.example/us',
  // Scheme-relative, with slashes and backslashes in any mix.
  '//evil.example/ss',
  '/\\evil.example/bs',
  '\\/evil.example/bs2',
  '\\\\evil.example/bs3',
  '/\\/evil.example/bss',
  // Dot segments that normalise to //host.
  '/.//evil.example/dot',
  '/a/..//evil.example/dotdot',
  '/%2e%2e//evil.example/encoded-dotdot',
  '/.%2e//evil.example/half-encoded',
  // Absolute URLs and other schemes.
  'https://evil.example/abs',
  'http://evil.example/abs',
  'HTTPS://evil.example/upper',
  'https:evil.example/no-slashes',
  'https:/\\evil.example/mixed',
  'javascript:alert(1)',
  ' javascript:alert(1)',
  'java\nscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'mailto:someone@evil.example',
  // Not a path at all.
  '',
  'evil.example',
  '@evil.example',
];

/** Odd but harmless: refused or kept on our origin, never a 500. */
export const SAME_SITE: readonly string[] = [
  '/%09/evil.example/encoded-tab',
  '/%0a/evil.example/encoded-newline',
  '/%0d%0aSet-Cookie:%20x=1',
  '/%2F%2Fevil.example/encoded-slashes',
  '/%5Cevil.example/encoded-backslash',
  '/en/my\n',
  ' /en/my',
  '/en/my?next=//evil.example',
  '/en/my#//evil.example',
  '/ja/お知らせ',
  '/en/my\u0085',
  '/en/my\u2028',
  '/en/"><script>',
];
