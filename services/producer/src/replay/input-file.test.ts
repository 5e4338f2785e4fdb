import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_LINE_BYTES, readInput, sniffInput } from './input-file';
import type { InputItem } from './input-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'producer-input-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function readAll(p: string): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readInput(p, await sniffInput(p))) items.push(item);
  return items;
}

const records = (items: InputItem[]) => items.flatMap((i) => ('record' in i ? [i.record] : []));
const malformed = (items: InputItem[]) => items.flatMap((i) => ('malformed' in i ? [i.malformed] : []));

const LOGINS = [
  { user_id: 'a', timestamp: 1 },
  { user_id: 'b', timestamp: '2' },
  { user_id: 'c', device_type: 'iOS' },
];
const JSONL = LOGINS.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('input files', () => {
  it('when the file is JSON Lines, then each line is a record with its exact bytes', async () => {
    const p = await file('plain.jsonl', JSONL);
    expect(await sniffInput(p)).toEqual({ gzip: false, format: 'json-lines' });
    const items = await readAll(p);
    expect(records(items)).toEqual(LOGINS);
    expect(items.map((i) => ('bytes' in i ? i.bytes?.toString() : undefined))).toEqual(JSONL.trimEnd().split('\n'));
  });

  it('when the file is gzip, then it is decompressed on the fly', async () => {
    const p = await file('plain.jsonl.gz', gzipSync(JSONL));
    expect(await sniffInput(p)).toEqual({ gzip: true, format: 'json-lines' });
    expect(records(await readAll(p))).toEqual(LOGINS);
  });

  it('when the file is a JSON array (plain or gzip), then each element is a record', async () => {
    const array = `  \n[\n${LOGINS.map((l) => JSON.stringify(l)).join(',\n')}\n]\n`;
    const plain = await file('array.json', array);
    const gzip = await file('array.json.gz', gzipSync(array));
    expect(await sniffInput(plain)).toEqual({ gzip: false, format: 'json-array' });
    expect(await sniffInput(gzip)).toEqual({ gzip: true, format: 'json-array' });
    expect(records(await readAll(plain))).toEqual(LOGINS);
    expect(records(await readAll(gzip))).toEqual(LOGINS);
  });

  it('when lines are not JSON, then they come through as malformed bytes, in place, and the rest still reads', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x7b]);
    const content = Buffer.concat([
      Buffer.from(`${JSON.stringify(LOGINS[0])}\n{"user_id": "trunc\n`),
      garbage,
      Buffer.from(`\n${JSON.stringify(LOGINS[1])}\n`),
    ]);
    const items = await readAll(await file('broken.jsonl', content));
    expect(items.map((i) => ('record' in i ? 'record' : 'malformed'))).toEqual(['record', 'malformed', 'malformed', 'record']);
    expect(malformed(items)).toEqual([Buffer.from('{"user_id": "trunc'), garbage]);
  });

  it('when lines are blank or end in CRLF, then blanks are skipped and CR is dropped', async () => {
    const items = await readAll(await file('crlf.jsonl', `\r\n${JSON.stringify(LOGINS[0])}\r\n   \n\n${JSON.stringify(LOGINS[1])}`));
    expect(records(items)).toEqual([LOGINS[0], LOGINS[1]]);
    expect(malformed(items)).toEqual([]);
  });

  it('when the file is empty, then there are no records', async () => {
    expect(await readAll(await file('empty.jsonl', ''))).toEqual([]);
  });

  it('when a line is longer than the limit, then reading fails with INPUT_UNREADABLE naming the line', async () => {
    const p = await file('long.jsonl', `${JSON.stringify(LOGINS[0])}\n${'x'.repeat(MAX_LINE_BYTES + 10)}`);
    await expect(readAll(p)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringMatching(/line 2/) });
  });

  it('when a JSON array is broken, then reading fails with INPUT_UNREADABLE naming the file', async () => {
    const p = await file('broken.json', `[${JSON.stringify(LOGINS[0])}, {"user_id": ]`);
    await expect(readAll(p)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining(p) });
  });

  it('when gzip data is corrupt, then reading fails with INPUT_UNREADABLE', async () => {
    const zipped = gzipSync(JSONL);
    const p = await file('corrupt.gz', Buffer.concat([zipped.subarray(0, 12), Buffer.alloc(20, 0x41)]));
    await expect(readAll(p)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('when the file does not exist, then sniffing fails with INPUT_UNREADABLE naming it', async () => {
    const p = path.join(dir, 'missing.jsonl');
    await expect(sniffInput(p)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining(p) });
  });
});
