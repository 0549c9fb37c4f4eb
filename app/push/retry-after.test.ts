import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter, type PushSender } from './channels/channel.ts';
import { deliver, MAX_WAIT_MS, STALE_AFTER_MS, type DeliveryClock } from './deliver.server.ts';
import { noticeMessage } from './message.ts';

/** A clock that only moves when someone sleeps on it. */
function controllableClock(start: number): DeliveryClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A push service that answers 429 with the given Retry-After, then 201; it notes when. */
function busyThenFine(clock: DeliveryClock, retryAfter: (now: number) => string) {
  const calls: number[] = [];
  const sender: PushSender = {
    channel: 'webpush',
    send: async () => {
      calls.push(clock.now());
      return calls.length === 1
        ? classifyStatus(429, retryAfter(clock.now()), clock.now())
        : classifyStatus(201, null, clock.now());
    },
  };
  return { sender, calls };
}

const device = {
  id: '00000000-0000-4000-8000-000000000001',
  channel: 'webpush' as const,
  token: 'https://push.example/x',
  p256dh: 'k',
  auth: 'a',
  locale: 'ja' as const,
};
const message = noticeMessage(
  {
    id: '00000000-0000-4000-8000-000000000002',
    kind: 'targeted',
    titleJa: 'お知らせ',
    titleEn: null,
  },
  'ja',
  60,
);
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('Retry-After (Hardening #10)', () => {
  it('as an HTTP date is the time until that date, to the millisecond', () => {
    const now = Date.UTC(2026, 11, 2, 3, 0, 0, 250);
    const date = Date.UTC(2026, 11, 2, 3, 0, 40, 0);
    expect(httpDate(date)).toBe('Wed, 02 Dec 2026 03:00:40 GMT');
    expect(parseRetryAfter(httpDate(date), now)).toBe(date - now);
    expect(parseRetryAfter('40', now)).toBe(40_000);
    expect(parseRetryAfter(httpDate(now - 5000), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('a 40 s HTTP date is retried exactly at that date, not before', async () => {
    const clock = controllableClock(Date.UTC(2026, 11, 2, 3, 0, 0, 250));
    const date = Date.UTC(2026, 11, 2, 3, 0, 40, 0);
    const { sender, calls } = busyThenFine(clock, () => httpDate(date));
    const outcome = await deliver(sender, device, message, {
      stillLive: async () => true,
      clock,
    });
    expect(outcome).toMatchObject({ kind: 'sent' });
    expect(calls).toEqual([Date.UTC(2026, 11, 2, 3, 0, 0, 250), date]);
  });

  it('delay-seconds are honoured exactly too', async () => {
    const start = Date.UTC(2026, 11, 2, 3, 0, 0, 0);
    const clock = controllableClock(start);
    const { sender, calls } = busyThenFine(clock, () => '45');
    expect(
      await deliver(sender, device, message, { stillLive: async () => true, clock }),
    ).toMatchObject({ kind: 'sent' });
    expect(calls).toEqual([start, start + 45_000]);
  });

  it('a Retry-After longer than a chunk may wait is not retried early: the device counts as retry-exhausted', async () => {
    const start = Date.UTC(2026, 11, 2, 3, 0, 0, 0);
    const clock = controllableClock(start);
    const { sender, calls } = busyThenFine(clock, (now) => httpDate(now + MAX_WAIT_MS + 10_000));
    expect(
      await deliver(sender, device, message, { stillLive: async () => true, clock }),
    ).toMatchObject({ kind: 'retry', status: 429 });
    expect(calls).toEqual([start]);
    expect(clock.sleeps).toEqual([]);
  });

  it('a registration stopped while waiting is not sent again', async () => {
    const clock = controllableClock(Date.UTC(2026, 11, 2, 3, 0, 0, 0));
    const { sender, calls } = busyThenFine(clock, () => '1');
    expect(await deliver(sender, device, message, { stillLive: async () => false, clock })).toEqual(
      { kind: 'stopped' },
    );
    expect(calls).toHaveLength(1);
  });

  it('a registration that waited over a second for its turn is checked again before its first send', async () => {
    const start = Date.UTC(2026, 11, 2, 3, 0, 0, 0);
    const clock = controllableClock(start + STALE_AFTER_MS + 1);
    const { sender, calls } = busyThenFine(clock, () => '1');
    let checks = 0;
    const stillLive = async () => (checks++, false);
    expect(await deliver(sender, device, message, { stillLive, clock, readAt: start })).toEqual({
      kind: 'stopped',
    });
    expect(calls).toEqual([]);
    // Read just now: no extra check before the first send.
    const fresh = controllableClock(start);
    const second = busyThenFine(fresh, () => '1');
    checks = 0;
    await deliver(second.sender, device, message, {
      stillLive: async () => (checks++, true),
      clock: fresh,
      readAt: start,
    });
    expect(second.calls).toHaveLength(2);
    expect(checks).toBe(1); // only before the retry
  });
});
