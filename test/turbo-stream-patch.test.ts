import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

/**
 * patches/turbo-stream+2.4.1.patch (decision 0072): Remix reads every client navigation's data
 * with turbo-stream's `decode()`, takes its `value` and never looks at its `done` promise. When
 * a navigation is superseded (a second search sent while the first answer is still arriving),
 * the router aborts the fetch, the body stream errors, and unpatched `decode()` leaves two
 * rejected promises nobody holds: the page logged "Uncaught (in promise) AbortError" for a
 * perfectly normal double submit. The patch marks them handled; a caller that awaits `done`
 * still gets the error. Both builds are checked: the browser bundles the ES module, Node
 * requires the CommonJS one.
 */
type Decode = (
  readable: ReadableStream<Uint8Array>,
  options?: unknown,
) => Promise<{ done: Promise<unknown>; value: unknown }>;

const require = createRequire(import.meta.url);
const builds: [string, () => Promise<Decode>][] = [
  ['ES module (the browser’s)', async () => (await import('turbo-stream')).decode as Decode],
  ['CommonJS', async () => (require('turbo-stream') as { decode: Decode }).decode],
];

/** A body whose first line arrives, then is cut off the way an aborted fetch cuts it. */
function cutOffBody() {
  const encoder = new TextEncoder();
  let cut!: (reason: unknown) => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The first line is a flattened `{ a: 1 }`; the stream then stays open, as a streamed
      // answer does while the server may still send deferred values.
      controller.enqueue(encoder.encode('[{"_1":2},"a",1]\n'));
      cut = (reason) => controller.error(reason);
    },
  });
  return { body, cut };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(builds)('turbo-stream decode, %s', (_name, load) => {
  it('an answer cut off after its first line leaves no unhandled rejection', async () => {
    const decode = await load();
    const { body, cut } = cutOffBody();
    const decoded = await decode(body);
    expect(decoded.value).toEqual({ a: 1 });
    cut(new DOMException('signal is aborted without reason', 'AbortError'));
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('a caller that awaits `done` still learns the answer was cut off', async () => {
    const decode = await load();
    const { body, cut } = cutOffBody();
    const decoded = await decode(body);
    cut(new DOMException('cut', 'AbortError'));
    await expect(decoded.done).rejects.toMatchObject({ name: 'AbortError' });
    await settle();
    expect(unhandled).toEqual([]);
  });
});
