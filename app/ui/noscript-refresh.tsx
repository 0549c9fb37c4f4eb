import { useMatches } from '@remix-run/react';

/**
 * A page that changes by itself (an import's progress) refreshes without JavaScript when its
 * loader returns `refreshWithoutScript` (seconds): a `<meta http-equiv="refresh">` inside
 * `<noscript>`, which a browser running scripts ignores, so with JavaScript the page
 * revalidates its data instead of reloading.
 */
export function NoscriptRefresh() {
  const matches = useMatches();
  const seconds = matches
    .map(
      (m) =>
        (m.data as { refreshWithoutScript?: unknown } | null | undefined)?.refreshWithoutScript,
    )
    .find((v): v is number => typeof v === 'number');
  if (seconds === undefined) return null;
  return (
    <noscript>
      <meta httpEquiv="refresh" content={String(seconds)} />
    </noscript>
  );
}
