const END = Buffer.from('</body></html>');

/**
 * Remix's <RemixServer> renders the single-fetch data scripts as a sibling of the app, so
 * React 18 writes them after the document's `</html>`: invalid HTML (the Nu checker reports
 * a stray script on every page) that browsers repair by guessing. The whole document is in
 * one buffer already (entry.server.tsx), so the tail is moved to where it belongs, at the end
 * of <body>. Text and scripts before the end never hold a literal `</body></html>`: React
 * escapes `<` in text and Remix in the data it writes into scripts.
 */
export function scriptsInsideBody<B extends ArrayBufferLike>(
  html: Buffer<B>,
): Buffer<B> | Buffer<ArrayBuffer> {
  const end = html.indexOf(END);
  if (end === -1 || end + END.length === html.length) return html;
  return Buffer.concat([html.subarray(0, end), html.subarray(end + END.length), END]);
}
