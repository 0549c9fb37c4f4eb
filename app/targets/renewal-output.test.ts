/**
 * What leaves the building: the renewal form's barcode reads back as the resident-register
 * code with an independent decoder (bwip-js draws, ZXing reads the pixels); printing is
 * recorded per person; the CSV export is recorded and re-imports without a single change.
 */
import { describe, expect, it } from 'vitest';
import bwipjs from 'bwip-js/node';
import { PNG } from 'pngjs';
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { useTestDatabase } from '../../test/database.ts';
import { useRenewalClerk, validRegisterCode } from '../../test/support/renewals.ts';
import { testSecrets } from '../../test/support/app-api.ts';
import { csvStream } from '../csv/csv-stream.server.ts';
import { barcodeOptions, registerCodeBarcodeSvg } from './renewal-barcode.server.ts';
import { exportRenewals, printRenewalForms } from './renewal-output.service.server.ts';
import { addRenewalByHand, closeRenewalTarget } from './renewal.service.server.ts';
import { RENEWAL_EXPORT_HEADER, renewalCsvRow } from './renewal-csv.ts';
import {
  confirmRenewalImport,
  previewRenewalImport,
  stageRenewalImport,
} from './renewal-import.service.server.ts';

const database = useTestDatabase();
const db = () => database.connection.db;

const clerk = useRenewalClerk(db, ['renewals:manage', 'targets:export']);

/** The PNG's pixels as luminance, read by ZXing's Code 128 reader. */
function decode(png: Buffer): string {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const [r, g, b] = [image.data[i * 4]!, image.data[i * 4 + 1]!, image.data[i * 4 + 2]!];
    luminance[i] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  const bitmap = new BinaryBitmap(
    new HybridBinarizer(new RGBLuminanceSource(luminance, image.width, image.height)),
  );
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
  ]);
  const result = new MultiFormatReader().decode(bitmap, hints);
  expect(result.getBarcodeFormat()).toBe(BarcodeFormat.CODE_128);
  return result.getText();
}

describe('the renewal form barcode', () => {
  it('decodes back to the resident-register code, for codes with leading zeros too', async () => {
    for (const code of [
      validRegisterCode('1234567890'),
      validRegisterCode('0000012345'),
      validRegisterCode(),
    ]) {
      const png = await bwipjs.toBuffer(barcodeOptions(code));
      expect(decode(png)).toBe(code);
      // The page draws the same symbol as SVG: bars only, no text inside the image.
      const svg = registerCodeBarcodeSvg(code);
      expect(svg).toMatch(/^<svg [^>]*viewBox/);
      expect(svg).not.toContain(code);
    }
  });
});

describe('printing and exporting', () => {
  it('prints the forms asked for, in order, each with its barcode, and records each person', async () => {
    const city = '990201';
    const ids: string[] = [];
    for (const name of ['甲 一', '乙 二']) {
      const added = await addRenewalByHand(db(), clerk(), city, {
        residentRegisterCode: validRegisterCode(),
        name,
        nameKana: null,
        birthDate: '1960-01-01',
        address: '三浦市',
        noticeNumber: 'P-1',
        certificateExpiresOn: null,
      });
      if (added.outcome === 'added') ids.push(added.id);
    }
    // An id that is no target of the city: nothing prints, nothing is recorded.
    expect(
      await printRenewalForms(db(), testSecrets(), clerk(), city, [
        ids[1]!,
        ids[0]!,
        crypto.randomUUID(),
      ]),
    ).toBeNull();
    const forms = (await printRenewalForms(db(), testSecrets(), clerk(), city, [
      ids[1]!,
      ids[0]!,
    ]))!;
    expect(forms.map((f) => f.name)).toEqual(['乙 二', '甲 一']);
    expect(forms[0]!.barcodeSvg).toContain('<svg');
    const printed = await db()
      .selectFrom('auditLog')
      .select(['targetId', 'details'])
      .where('action', '=', 'renewals.print')
      .where('targetId', 'in', ids)
      .execute();
    expect(printed).toHaveLength(2);
    expect(printed[0]!.details).toEqual({ batch: 2 });
    // Another city's targets are not found.
    expect(await printRenewalForms(db(), testSecrets(), clerk(), '990299', ids)).toBeNull();
  });

  it('exports as CSV (recorded), and the export re-imports with nothing new, changed or rejected', async () => {
    const city = '990202';
    const list = [
      ['𠮷田 一', 'ヨシダ ハジメ', '2027-01-31'],
      ['髙橋 二', '', ''],
      ['山﨑 三', 'ヤマサキ サン', ''],
    ] as const;
    const ids: string[] = [];
    for (const [name, kana, expires] of list) {
      const added = await addRenewalByHand(db(), clerk(), city, {
        residentRegisterCode: validRegisterCode(),
        name,
        nameKana: kana || null,
        birthDate: '1975-07-07',
        address: '三浦市三崎町',
        noticeNumber: 'E-1',
        certificateExpiresOn: expires || null,
      });
      if (added.outcome === 'added') ids.push(added.id);
    }
    await closeRenewalTarget(
      db(),
      clerk(),
      { municipalityCode: city, id: ids[1]! },
      { state: 'renewed' },
    );
    await closeRenewalTarget(
      db(),
      clerk(),
      { municipalityCode: city, id: ids[2]! },
      { state: 'cleared', reason: 'died', note: '=SUM(A1)' },
    );

    const batches = await exportRenewals(db(), clerk(), city, { encoding: 'utf-8' });
    async function* rows() {
      for await (const batch of batches) yield batch.map((r) => renewalCsvRow(r, (k) => k));
    }
    const bytes = new Uint8Array(
      await new Response(csvStream(RENEWAL_EXPORT_HEADER, rows())).arrayBuffer(),
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF住民票コード,氏名')).toBe(true);
    expect(text).toContain('𠮷田 一');
    expect(text).toContain("'=SUM(A1)"); // formula-safe
    expect(text).toContain('state.cleared,reason.died');

    const staged = await stageRenewalImport(db(), clerk(), {
      municipalityCode: city,
      fileName: 'export.csv',
      bytes,
    });
    if (staged.outcome !== 'staged') throw new Error(JSON.stringify(staged));
    expect(
      await previewRenewalImport(db(), { municipalityCode: city, importId: staged.importId }),
    ).toMatchObject({ counts: { new: 0, updated: 0, unchanged: 3, rejected: 0 }, problems: [] });
    await confirmRenewalImport(db(), clerk(), {
      municipalityCode: city,
      importId: staged.importId,
    });
    const after = await db()
      .selectFrom('renewalTarget')
      .select(['id', 'state'])
      .where('municipalityCode', '=', city)
      .orderBy('createdAt')
      .execute();
    expect(after).toEqual([
      { id: ids[0], state: 'active' },
      { id: ids[1], state: 'renewed' },
      { id: ids[2], state: 'cleared' },
    ]);
    const exported = await db()
      .selectFrom('auditLog')
      .select(['details'])
      .where('action', '=', 'renewals.export')
      .where('actorId', '=', clerk().actorId)
      .execute();
    expect(exported).toEqual([{ details: { state: 'all', encoding: 'utf-8' } }]);
  });
});
