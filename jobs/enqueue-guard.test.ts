import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

/**
 * The lint rule that keeps raw pg-boss sends out of app/ (eslint.config.js) is itself tested:
 * a probe file in a domain must be refused, and the queue seam in jobs/ (jobs/enqueue.ts) is outside the rule.
 */
const eslint = new ESLint();

async function restrictedIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const raw = `
import { fromKysely, type PgBoss } from 'pg-boss';
export async function f(boss: PgBoss, options: { boss: PgBoss }, trx: never) {
  await boss.send('push.batch', { seq: 1 }, { db: fromKysely(trx) });
  await options.boss.insert('push.batch', []);
}
`;

describe('the queue guard', () => {
  it('refuses raw sends, inserts and transaction binding in a domain', async () => {
    const messages = await restrictedIn('app/push/probe.server.ts', raw);
    expect(messages).toHaveLength(3);
  });

  it('lets the queue seam itself, type imports and other senders be', async () => {
    expect(await restrictedIn('jobs/enqueue.ts', raw)).toEqual([]);
    const fine = `
import type { PgBoss } from 'pg-boss';
export const g = (sender: { send(): void }, _boss: PgBoss) => sender.send();
`;
    expect(await restrictedIn('app/push/probe.server.ts', fine)).toEqual([]);
  });
});
