/** A JSON scalar as JSON.parse gives it. */
export type JsonScalar = string | number | boolean | null;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const E_LOWER = 0x65;
const E_UPPER = 0x45;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isDigit = (b: number) => b >= ZERO && b <= NINE;

function skipSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return i;
}

/** The index of the quote closing a string whose content starts at `i`; -1 for an escape or a control byte (left to JSON.parse). */
function stringEnd(bytes: Uint8Array, i: number): number {
  for (; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) return i;
    if (b === BACKSLASH || b < 0x20) return -1;
  }
  return -1;
}

function digitsEnd(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && isDigit(bytes[i])) i++;
  return i;
}

/** The end of a JSON number starting at `i` (`-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?`); -1 if there is none. */
function numberEnd(bytes: Uint8Array, i: number): number {
  if (bytes[i] === MINUS) i++;
  if (bytes[i] === ZERO) i++;
  else {
    const end = digitsEnd(bytes, i);
    if (end === i) return -1;
    i = end;
  }
  if (bytes[i] === DOT) {
    const end = digitsEnd(bytes, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  if (bytes[i] === E_LOWER || bytes[i] === E_UPPER) {
    i++;
    if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
    const end = digitsEnd(bytes, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function matchesAt(bytes: Uint8Array, i: number, word: Uint8Array): boolean {
  if (i + word.length > bytes.length) return false;
  for (let j = 0; j < word.length; j++) if (bytes[i + j] !== word[j]) return false;
  return true;
}

const LITERALS: ReadonlyArray<readonly [Uint8Array, JsonScalar]> = [
  [Buffer.from('true'), true],
  [Buffer.from('false'), false],
  [Buffer.from('null'), null],
];

/**
 * The strings a field keeps repeating (device types, locales), decoded once: most values are then
 * found by their bytes, with no decoding or new string. Short values only, and a bounded number
 * of them, so a field that turns out not to repeat costs a few comparisons and no memory.
 */
class RepeatingTexts {
  private static readonly MAX_BYTES = 32;
  private static readonly MAX_TEXTS = 64;
  private readonly bytes: Buffer[] = [];
  private readonly texts: string[] = [];

  of(source: Buffer, start: number, end: number): string | undefined {
    const length = end - start;
    if (length > RepeatingTexts.MAX_BYTES) return undefined;
    for (let t = 0; t < this.bytes.length; t++) {
      const known = this.bytes[t];
      if (known.length === length && matchesAt(source, start, known)) return this.texts[t];
    }
    if (this.bytes.length === RepeatingTexts.MAX_TEXTS) return undefined;
    const text = source.toString('utf8', start, end);
    this.bytes.push(Buffer.from(source.subarray(start, end)));
    this.texts.push(text);
    return text;
  }
}

/**
 * Picks the named top-level fields of a JSON object straight off its UTF-8 bytes, without
 * building the rest: a processed login is read once per window stage, and JSON.parse of all of
 * it was most of that stage's time. Only a flat object of scalars, with no escape in any
 * string, is read here; for anything else (nesting, escapes, malformed bytes, not an object) it
 * returns undefined and the caller asks JSON.parse, so it never decides what JSON is on its own.
 * What it returns equals the same fields of JSON.parse(bytes.toString()): the differential test
 * holds it to that. Absent fields are undefined; a repeated key keeps its last value, as JSON.parse does.
 * The `repeating` fields' strings are reused across records (see RepeatingTexts).
 */
export function createFlatFieldPicker<F extends string>(fields: readonly F[], options: { readonly repeating?: readonly F[] } = {}): (bytes: Uint8Array) => Partial<Record<F, JsonScalar>> | undefined {
  const names = fields.map((f) => Buffer.from(f));
  const texts = fields.map((f) => (options.repeating?.includes(f) ? new RepeatingTexts() : undefined));

  /** The wanted field whose name is bytes[start, end), or -1. */
  const fieldAt = (bytes: Uint8Array, start: number, end: number): number => {
    for (let f = 0; f < names.length; f++) {
      const name = names[f];
      if (name.length === end - start && matchesAt(bytes, start, name)) return f;
    }
    return -1;
  };

  return (bytes) => {
    const text = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const picked: Partial<Record<F, JsonScalar>> = {};
    let i = skipSpace(text, 0);
    if (text[i] !== OPEN) return undefined;
    i = skipSpace(text, i + 1);
    if (text[i] === CLOSE) return skipSpace(text, i + 1) === text.length ? picked : undefined;
    for (;;) {
      if (text[i] !== QUOTE) return undefined;
      const keyEnd = stringEnd(text, i + 1);
      if (keyEnd < 0) return undefined;
      const field = fieldAt(text, i + 1, keyEnd);
      i = skipSpace(text, keyEnd + 1);
      if (text[i] !== COLON) return undefined;
      i = skipSpace(text, i + 1);
      const first = text[i];
      let value: JsonScalar;
      if (first === QUOTE) {
        const end = stringEnd(text, i + 1);
        if (end < 0) return undefined;
        // Cut at quotes, ASCII, so decoding the part gives what decoding the whole gives there.
        value = field < 0 ? '' : (texts[field]?.of(text, i + 1, end) ?? text.toString('utf8', i + 1, end));
        i = end + 1;
      } else if (first === MINUS || isDigit(first)) {
        const end = numberEnd(text, i);
        if (end < 0) return undefined;
        value = field < 0 ? 0 : Number(text.toString('latin1', i, end));
        i = end;
      } else {
        const literal = LITERALS.find(([word]) => matchesAt(text, i, word));
        if (literal === undefined) return undefined;
        value = literal[1];
        i += literal[0].length;
      }
      if (field >= 0) picked[fields[field]] = value;
      i = skipSpace(text, i);
      if (text[i] === COMMA) {
        i = skipSpace(text, i + 1);
        continue;
      }
      if (text[i] === CLOSE) return skipSpace(text, i + 1) === text.length ? picked : undefined;
      return undefined;
    }
  };
}
