import { useParams } from '@remix-run/react';

const run =
  /([\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff][\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff0-9]*)/;

/**
 * Text of an English page that quotes Japanese (an example such as 昭和23): each Japanese
 * run is marked lang="ja" so a screen reader switches voice. On Japanese pages, as is.
 */
export function MarkJapanese({ text }: { text: string }) {
  const { lang } = useParams();
  if (lang !== 'en' || !run.test(text)) return <>{text}</>;
  return (
    <>
      {text.split(run).map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} lang="ja">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
