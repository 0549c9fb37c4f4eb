/**
 * Reading the CSV files staff upload (audience lists, insurance records, card-pickup targets):
 * UTF-8 with or without a BOM, or Shift_JIS as Excel and the CS terminal (統合端末) write it
 * (the WHATWG `shift_jis` decoder is Windows-31J/CP932: NEC and IBM extensions included).
 *
 * Strict by default: a byte sequence the file's encoding cannot hold makes its record an
 * error with a line number, never a silently replaced character — a name with a wrong kanji
 * is worse than a line the clerk is told to fix. Each physical line is decoded on its own
 * (0x0A never occurs inside a multi-byte character in either encoding), so one bad line does
 * not hide the rest of the file.
 */

export type CsvEncoding = 'utf-8' | 'shift_jis';

export type CsvRecord = {
  /** The line (1-based) the record starts on; a quoted field may carry it over several lines. */
  line: number;
  fields: string[];
};

type CsvReadError =
  /** Bytes the detected encoding cannot decode on this line (the record is left out). */
  | { line: number; reason: 'encoding' }
  /** A quoted field opened on this line is never closed: everything after it is left out. */
  | { line: number; reason: 'unclosed_quote' };

export type CsvRead = {
  encoding: CsvEncoding;
  /** Whether the file began with a UTF-8 byte order mark. */
  bom: boolean;
  records: CsvRecord[];
  errors: CsvReadError[];
};

export type CsvReadOptions = {
  /** `auto`: a tab when the first line has tabs and no commas (Excel's "Unicode text"). */
  delimiter?: ',' | '\t' | 'auto';
};

const LF = 0x0a;
const decoders: Record<CsvEncoding, { fatal: TextDecoder; lenient: TextDecoder }> = {
  'utf-8': {
    fatal: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }),
    lenient: new TextDecoder('utf-8', { ignoreBOM: true }),
  },
  shift_jis: {
    fatal: new TextDecoder('shift_jis', { fatal: true }),
    lenient: new TextDecoder('shift_jis'),
  },
};

type DecodedLines = { texts: string[]; bad: number[] };

function decodeLines(lines: readonly Uint8Array[], encoding: CsvEncoding): DecodedLines {
  const { fatal, lenient } = decoders[encoding];
  const texts: string[] = [];
  const bad: number[] = [];
  lines.forEach((bytes, i) => {
    try {
      texts.push(fatal.decode(bytes));
    } catch {
      // Kept (with replacement characters) only so the record structure stays intact; the
      // record that contains this line is reported, never returned.
      texts.push(lenient.decode(bytes));
      bad.push(i + 1);
    }
  });
  return { texts, bad };
}

function physicalLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, start)) {
    lines.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/**
 * The encoding: UTF-8 when there is a BOM or every line is valid UTF-8; else Shift_JIS when
 * every line is valid Shift_JIS; else whichever leaves fewer bad lines (UTF-8 on a tie).
 */
function detect(lines: readonly Uint8Array[], bom: boolean): [CsvEncoding, DecodedLines] {
  const utf8 = decodeLines(lines, 'utf-8');
  if (bom || utf8.bad.length === 0) return ['utf-8', utf8];
  const sjis = decodeLines(lines, 'shift_jis');
  return sjis.bad.length < utf8.bad.length ? ['shift_jis', sjis] : ['utf-8', utf8];
}

export function readCsv(input: Uint8Array, options: CsvReadOptions = {}): CsvRead {
  const bom = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
  const bytes = bom ? input.subarray(3) : input;
  const lines = physicalLines(bytes);
  const [encoding, decoded] = detect(lines, bom);
  const text = decoded.texts.join('');
  const delimiter =
    options.delimiter && options.delimiter !== 'auto' ? options.delimiter : guess(text);
  const parsed = parseRecords(text, delimiter);

  const bad = new Set(decoded.bad);
  const errors: CsvReadError[] = [];
  const records: CsvRecord[] = [];
  for (const record of parsed.records) {
    let badLine: number | undefined;
    for (let line = record.line; line <= record.lastLine && badLine === undefined; line++)
      if (bad.has(line)) badLine = line;
    if (badLine !== undefined) errors.push({ line: badLine, reason: 'encoding' });
    else records.push({ line: record.line, fields: record.fields });
  }
  if (parsed.unclosedQuoteLine !== undefined)
    errors.push({ line: parsed.unclosedQuoteLine, reason: 'unclosed_quote' });
  return { encoding, bom, records, errors };
}

/** Records of text that is already decoded (a list pasted into a form, carried by a page). */
export function parseCsvText(
  text: string,
  options: CsvReadOptions = {},
): { records: ParsedRecord[]; unclosedQuoteLine?: number } {
  const delimiter =
    options.delimiter && options.delimiter !== 'auto' ? options.delimiter : guess(text);
  return parseRecords(text, delimiter);
}

function guess(text: string): ',' | '\t' {
  const end = text.search(/\r\n|\n|\r/);
  const first = end === -1 ? text : text.slice(0, end);
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

export type ParsedRecord = CsvRecord & { lastLine: number };

/**
 * RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and
 * CR all end a record; blank lines are skipped. Each record knows its first and last line.
 */
function parseRecords(
  text: string,
  delimiter: ',' | '\t' = ',',
): { records: ParsedRecord[]; unclosedQuoteLine?: number } {
  const records: ParsedRecord[] = [];
  let line = 1;
  let startLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let quoteLine = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '')
      records.push({ line: startLine, lastLine: line, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      field = '';
      quoteLine = line;
    } else if (c === delimiter) endField();
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else field += c;
  }
  if (inQuotes) return { records, unclosedQuoteLine: quoteLine };
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}

/**
 * What is safe to normalise in a cell: full-width ASCII (digits, Latin letters, punctuation)
 * becomes ASCII, and spaces (the ideographic space too) are trimmed from both ends. Nothing
 * else: NFKC would rewrite some JIS X 0213 kanji (異体字) in names, which must stay exactly as
 * written, and the full-width space between family and given name is part of the name.
 */
export function normalizeCell(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim();
}

/** Each physical line of a file, its line feed included, without copying. */
function* physicalLineIterator(bytes: Uint8Array): Generator<Uint8Array> {
  let start = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, start)) {
    yield bytes.subarray(start, i + 1);
    start = i + 1;
  }
  if (start < bytes.length) yield bytes.subarray(start);
}

const stripBom = (input: Uint8Array) =>
  input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;

function badLineCount(bytes: Uint8Array, decoder: TextDecoder): { lines: number; bad: number[] } {
  const bad: number[] = [];
  let lines = 0;
  for (const line of physicalLineIterator(bytes)) {
    lines++;
    try {
      decoder.decode(line);
    } catch {
      bad.push(lines);
    }
  }
  return { lines, bad };
}

export type CsvEncodingCheck = {
  encoding: CsvEncoding;
  bom: boolean;
  /** Physical lines in the file (the header's included). */
  lines: number;
  /** Lines (1-based) the chosen encoding cannot decode. */
  badLines: number[];
};

/**
 * The file's encoding, chosen as readCsv chooses it, without keeping any decoded text: a large
 * file is then read chunk by chunk (readCsvChunks) in the encoding found here.
 */
export function detectCsvEncoding(input: Uint8Array): CsvEncodingCheck {
  const bytes = stripBom(input);
  const bom = bytes !== input;
  const utf8 = badLineCount(bytes, decoders['utf-8'].fatal);
  if (bom || utf8.bad.length === 0)
    return { encoding: 'utf-8', bom, lines: utf8.lines, badLines: utf8.bad };
  const sjis = badLineCount(bytes, decoders.shift_jis.fatal);
  return sjis.bad.length < utf8.bad.length
    ? { encoding: 'shift_jis', bom, lines: sjis.lines, badLines: sjis.bad }
    : { encoding: 'utf-8', bom, lines: utf8.lines, badLines: utf8.bad };
}

export type CsvChunk = {
  records: CsvRecord[];
  errors: CsvReadError[];
  /** Physical lines of the file read so far, this chunk's included. */
  linesRead: number;
};

/**
 * The records of a file in chunks of about `chunkLines` physical lines, with the same rules as
 * readCsv (strict decoding per line, a record with a bad line is an error with its number):
 * only one chunk's text is ever held. A chunk never splits a record: a quoted field still open
 * at a chunk's end carries its lines over to the next chunk. The delimiter is guessed from the
 * first line, as readCsv does.
 */
export function* readCsvChunks(
  input: Uint8Array,
  encoding: CsvEncoding,
  { chunkLines }: { chunkLines: number },
): Generator<CsvChunk> {
  const { fatal, lenient } = decoders[encoding];
  const lines = physicalLineIterator(stripBom(input));
  let delimiter: ',' | '\t' | undefined;
  let carried: Uint8Array[] = [];
  let carriedFrom = 1; // the line number of carried[0]
  let ended = false;
  while (!ended) {
    const batch = carried;
    const from = carriedFrom;
    for (let added = 0; added < chunkLines; added++) {
      const next = lines.next();
      if (next.done) {
        ended = true;
        break;
      }
      batch.push(next.value);
    }
    if (batch.length === 0) return;
    const bad = new Set<number>();
    const text = batch
      .map((bytes, i) => {
        try {
          return fatal.decode(bytes);
        } catch {
          bad.add(from + i);
          return lenient.decode(bytes);
        }
      })
      .join('');
    delimiter ??= guess(text);
    const parsed = parseRecords(text, delimiter);
    const shift = from - 1;
    const complete = parsed.records.map((r) => ({
      ...r,
      line: r.line + shift,
      lastLine: r.lastLine + shift,
    }));
    const errors: CsvReadError[] = [];
    carried = [];
    carriedFrom = from + batch.length;
    if (parsed.unclosedQuoteLine !== undefined) {
      if (ended) errors.push({ line: parsed.unclosedQuoteLine + shift, reason: 'unclosed_quote' });
      else {
        // The open record (and any blank line before it) starts the next chunk.
        const lastEnd = complete.at(-1)?.lastLine ?? shift;
        carried = batch.slice(lastEnd - shift);
        carriedFrom = lastEnd + 1;
      }
    }
    const records: CsvRecord[] = [];
    for (const record of complete) {
      let badLine: number | undefined;
      for (let line = record.line; line <= record.lastLine && badLine === undefined; line++)
        if (bad.has(line)) badLine = line;
      if (badLine !== undefined) errors.unshift({ line: badLine, reason: 'encoding' });
      else records.push({ line: record.line, fields: record.fields });
    }
    errors.sort((a, b) => a.line - b.line);
    yield { records, errors, linesRead: from - 1 + batch.length - carried.length };
  }
}
