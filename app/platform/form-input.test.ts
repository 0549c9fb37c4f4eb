import { describe, expect, it } from 'vitest';
import { cleanMultipart, cleanRequestTarget, cleanUrlencoded } from './form-input.server.ts';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('cleanRequestTarget', () => {
  it('leaves a target without NUL as it is', () => {
    expect(cleanRequestTarget('/en/notices?q=%25002&x=%20')).toBe('/en/notices?q=%25002&x=%20');
  });

  it('removes NUL from the path and from query names and values, even when removal joins a new one', () => {
    expect(cleanRequestTarget('/en/notices%00/x?q=a%00b&p%00=1')).toBe('/en/notices/x?q=ab&p=1');
    expect(cleanRequestTarget('/en/a%%0000b')).toBe('/en/ab');
    expect(cleanRequestTarget('/en/?%00=%00')).toBe('/en/?=');
  });
});

describe('cleanUrlencoded', () => {
  it('passes bodies without NUL on unchanged, as the same bytes', () => {
    const body = bytes('name=%E5%A4%AA%E9%83%8E&q=100%25');
    expect(cleanUrlencoded(body)).toBe(body);
  });

  it('removes encoded and raw NUL from names and values, keeping repeated names', () => {
    const cleaned = cleanUrlencoded(bytes('name=a%00b&g=1&g=2&n%00=\u0000x'));
    expect(cleaned).toBeInstanceOf(URLSearchParams);
    expect([...(cleaned as URLSearchParams)]).toEqual([
      ['name', 'ab'],
      ['g', '1'],
      ['g', '2'],
      ['n', 'x'],
    ]);
  });
});

describe('cleanMultipart', () => {
  async function multipart(form: FormData) {
    const request = new Request('http://x/', { method: 'POST', body: form });
    return {
      body: new Uint8Array(await request.arrayBuffer()),
      type: request.headers.get('content-type') ?? '',
    };
  }
  // Shift_JIS "住民票コード" and a zero byte: a file is data and must arrive byte for byte.
  const fileBytes = new Uint8Array([0x8f, 0x5a, 0x96, 0xaf, 0x95, 0x5b, 0x00, 0x0a, 0xff]);

  it('passes bodies on unchanged when no text field holds NUL, however binary the files', async () => {
    const form = new FormData();
    form.append('title', 'お知らせ');
    form.append('file', new File([fileBytes], 'list.csv', { type: 'text/csv' }));
    const { body, type } = await multipart(form);
    expect(await cleanMultipart(body, type)).toBe(body);
  });

  it('removes NUL from text fields and file names, never from file contents', async () => {
    const form = new FormData();
    form.append('title', 'a\u0000b');
    form.append('file', new File([fileBytes], 'li\u0000st.csv', { type: 'text/csv' }));
    const { body, type } = await multipart(form);
    const cleaned = await cleanMultipart(body, type);
    expect(cleaned).toBeInstanceOf(FormData);
    const result = cleaned as FormData;
    expect(result.get('title')).toBe('ab');
    const file = result.get('file') as File;
    expect(file.name).toBe('list.csv');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(fileBytes);
  });

  it('answers null for a body that is not multipart', async () => {
    expect(await cleanMultipart(bytes('garbage'), 'multipart/form-data; boundary=zz')).toBeNull();
  });
});
