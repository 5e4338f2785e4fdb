import { encodeMalformed, encodeRecord } from '../message';
import type { OutboundMessage } from '../message';
import type { FieldMapping } from './field-mapping';
import { fieldRenamer } from './field-mapping';
import { readInput, sniffInput } from './input-file';

/**
 * The messages of an input file, fields renamed. Checks the file is readable before
 * returning, so a wrong path fails before anything connects. JSON Lines records that need
 * no renaming are sent byte for byte.
 */
export async function replayedMessages(path: string, mappings: readonly FieldMapping[]): Promise<AsyncIterable<OutboundMessage>> {
  const rename = fieldRenamer(mappings);
  const shape = await sniffInput(path);
  return (async function* () {
    for await (const item of readInput(path, shape)) {
      if ('malformed' in item) {
        yield encodeMalformed(item.malformed);
      } else {
        const record = rename(item.record);
        yield encodeRecord(record, record === item.record ? item.bytes : undefined);
      }
    }
  })();
}
