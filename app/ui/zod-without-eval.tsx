/**
 * Zod 4 compiles object parsers with `new Function` when it may, and finds out by trying it
 * while the first schemas are built. The pages' CSP has no 'unsafe-eval', so in the browser
 * that try is a CSP violation, reported to /browser-errors on every page that parses a form.
 * Zod reads its settings from this global, so it must be set before any module runs: a
 * classic inline script (with the page's nonce) runs before the deferred module scripts.
 */
export function ZodWithoutEval({ nonce }: { nonce: string }) {
  return (
    <script
      nonce={nonce}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: 'globalThis.__zod_globalConfig={jitless:true}' }}
    />
  );
}
