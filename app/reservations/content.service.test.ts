/**
 * The booking site's texts on a real database: every save a new version (numbered in order,
 * also when saved at once), one published version per piece and language, drafts never seen
 * by residents, who changed what and when, every save and publication audited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/database.ts';
import { contentAudit, contentClerk, storedVersions } from '../../test/support/booking-content.ts';
import {
  contentHistory,
  contentOverview,
  publishContent,
  publishedContent,
  saveContent,
} from './content.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

let editor: Awaited<ReturnType<typeof contentClerk>>;
let other: Awaited<ReturnType<typeof contentClerk>>;
beforeAll(async () => {
  editor = await contentClerk(db(), '141003');
  other = await contentClerk(db(), '141003');
});

describe('booking site texts', () => {
  it('keeps every save as a new version, and nothing is published by saving', async () => {
    const key = { piece: 'faq' as const, locale: 'ja' as const };
    expect(await saveContent(db(), editor.clerk, key, '## 質問\r\n\r\n答え')).toEqual({
      outcome: 'saved',
      version: 1,
    });
    expect(await saveContent(db(), editor.clerk, key, '## 質問\n\n答え\n')).toEqual({
      outcome: 'unchanged',
      version: 1,
    });
    expect(await saveContent(db(), other.clerk, key, '## 質問\n\n新しい答え')).toEqual({
      outcome: 'saved',
      version: 2,
    });
    const stored = await storedVersions(db(), { municipalityCode: '141003', ...key });
    expect(stored.map((v) => [v.version, v.body, v.createdBy, v.publishedAt])).toEqual([
      [1, '## 質問\n\n答え', editor.accountId, null],
      [2, '## 質問\n\n新しい答え', other.accountId, null],
    ]);
    expect(await publishedContent(db(), '141003', key)).toBeNull();
    const row = (await contentOverview(db(), '141003')).find(
      (s) => s.piece === 'faq' && s.locale === 'ja',
    );
    expect(row).toMatchObject({ latestVersion: 2, published: null });
  });

  it('publishes one version per piece and language; later drafts stay unseen', async () => {
    const key = { piece: 'terms' as const, locale: 'en' as const };
    expect(await publishContent(db(), editor.clerk, key, 'First terms')).toEqual({ version: 1 });
    expect(await publishedContent(db(), '141003', key)).toMatchObject({
      body: 'First terms',
      version: 1,
    });
    // The same text again: no new version, still version 1.
    expect(await publishContent(db(), editor.clerk, key, 'First terms')).toEqual({ version: 1 });

    await saveContent(db(), other.clerk, key, 'Draft terms');
    expect((await publishedContent(db(), '141003', key))?.body).toBe('First terms');
    expect(await publishedContent(db(), '141003', { ...key, locale: 'ja' })).toBeNull();

    expect(await publishContent(db(), other.clerk, key, 'Second terms')).toEqual({ version: 3 });
    expect((await publishedContent(db(), '141003', key))?.body).toBe('Second terms');

    const history = await contentHistory(db(), '141003', key);
    expect(history.map((v) => [v.version, v.publishedByName !== null])).toEqual([
      [3, true],
      [2, false],
      [1, true],
    ]);
    expect(history[0]?.createdByName).toMatch(/^職員/);
    const overview = await contentOverview(db(), '141003');
    expect(overview).toHaveLength(12);
    expect(overview.find((s) => s.piece === 'terms' && s.locale === 'en')).toMatchObject({
      latestVersion: 3,
      published: { version: 3 },
    });
  });

  it('keeps each city to its own texts', async () => {
    const key = { piece: 'notice' as const, locale: 'ja' as const };
    const elsewhere = await contentClerk(db(), '131016');
    await publishContent(db(), elsewhere.clerk, key, '千代田区のお知らせ');
    expect(await publishedContent(db(), '141003', key)).toBeNull();
    expect((await publishedContent(db(), '131016', key))?.body).toBe('千代田区のお知らせ');
  });

  it('numbers versions saved at the same moment one after another', async () => {
    const key = { piece: 'guide' as const, locale: 'en' as const };
    const saved = await Promise.all(
      Array.from({ length: 6 }, (_, i) => saveContent(db(), editor.clerk, key, `Guide ${i}`)),
    );
    expect(saved.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('records every save and publication with the piece, language and version', async () => {
    const writer = await contentClerk(db(), '141003');
    const key = { piece: 'contact' as const, locale: 'ja' as const };
    await saveContent(db(), writer.clerk, key, '電話 046-882-1111');
    await saveContent(db(), writer.clerk, key, '電話 046-882-1111');
    await publishContent(db(), writer.clerk, key, '電話 046-882-1111（平日）');
    const entries = await contentAudit(db(), writer.accountId);
    expect(entries.map((e) => [e.action, e.targetId, e.details])).toEqual([
      [
        'booking_content.save',
        'contact/ja',
        { piece: 'contact', locale: 'ja', version: 1, characters: 15 },
      ],
      [
        'booking_content.save',
        'contact/ja',
        { piece: 'contact', locale: 'ja', version: 2, characters: 19 },
      ],
      ['booking_content.publish', 'contact/ja', { piece: 'contact', locale: 'ja', version: 2 }],
    ]);
  });
});
