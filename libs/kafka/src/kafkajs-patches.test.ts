import { readFileSync } from 'node:fs';

// kafkajs 2.2.4 is unmaintained; patches/kafkajs+2.2.4.patch (applied by `npm install` through
// patch-package) fixes it in place. These tests fail if the patch did not apply or broke the wire format.

type RecordEncoder = (record: {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string | Buffer | Array<string | Buffer>>;
}) => { buffer: Buffer };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordEncoder;
interface DecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}
type RecordBatchEncoder = (batch: {
  firstOffset: unknown;
  firstTimestamp: number;
  maxTimestamp: number;
  lastOffsetDelta: number;
  records: Array<{ buffer: Buffer }>;
}) => Promise<{ buffer: Buffer }>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: RecordBatchEncoder };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{ records: DecodedRecord[] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Long = require('kafkajs/src/utils/long') as { fromString: (s: string) => unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Batch = require('kafkajs/src/consumer/batch') as new (
  topic: string,
  fetchedOffset: string,
  partitionData: { partition: number; highWatermark: string; messages: Array<{ offset: string; isControlRecord: boolean }> },
) => { messages: Array<{ offset: string }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (buffer: Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: unknown[];
  messages: Array<{ key: string }>;
  partitioner: (args: { message: { key: string } }) => number;
}) => Record<string, Array<{ key: string }>>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (options: Record<string, unknown>) => (args: Record<string, unknown>) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createEosManager = require('kafkajs/src/producer/eosManager') as (options: Record<string, unknown>) => {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  abort(): Promise<void>;
  addPartitionsToTransaction(topicData: Array<{ topic: string; partitions: Array<{ partition: number }> }>): Promise<void>;
  sendOffsets(args: { consumerGroupId: string; topics: unknown[] }): Promise<void>;
  commit(): Promise<void>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: Record<string, unknown>) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSProtocolError } = require('kafkajs/src/errors') as { KafkaJSProtocolError: new (e: { message: string; type: string; retriable: boolean }) => Error };

interface ProducedPartition {
  partition: number;
  firstSequence: number;
  messages: Array<{ value: string }>;
}

describe('patched kafkajs', () => {
  it('when installed, then every patched file carries the patch', () => {
    for (const file of [
      'src/protocol/recordBatch/record/v0/index.js',
      'src/protocol/encoder.js',
      'src/producer/groupMessagesPerPartition.js',
      'src/producer/sendMessages.js',
      'src/producer/eosManager/index.js',
      'src/protocol/requests/produce/v3/request.js',
      'src/consumer/filterAbortedMessages.js',
      'src/protocol/recordBatch/v0/decoder.js',
      'src/protocol/recordBatch/record/v0/decoder.js',
      'src/protocol/recordBatch/crc32C/crc32C.js',
      'src/consumer/batch.js',
      'src/admin/index.js',
    ]) {
      expect(readFileSync(require.resolve(`kafkajs/${file}`), 'utf8')).toContain('login-stream patch');
    }
  });

  it('when a record is encoded, then its bytes follow the Kafka v2 record format', () => {
    const { buffer } = encodeRecord({ offsetDelta: 1, timestampDelta: 2, key: 'k', value: Buffer.from('v'), headers: { h: 'x' } });
    // length 12 (zigzag 24), attributes, timestampDelta 2 (zz 4), offsetDelta 1 (zz 2),
    // key len 1 'k', value len 1 'v', 1 header: key len 1 'h', value len 1 'x'.
    expect([...buffer]).toEqual([24, 0, 4, 2, 2, 0x6b, 2, 0x76, 2, 2, 0x68, 2, 0x78]);
  });

  it('when a record has a null key, multi-valued headers and large deltas, then varints and nulls are encoded as Kafka expects', () => {
    const { buffer } = encodeRecord({ offsetDelta: 300, timestampDelta: -65, key: null, value: 'é', headers: { a: ['1', '2'] } });
    expect([...buffer]).toEqual([
      36, // length 18
      0,
      0x81, 0x01, // timestampDelta -65 → zigzag 129
      0xd8, 0x04, // offsetDelta 300 → zigzag 600
      1, // key null → -1 → zigzag 1
      4, 0xc3, 0xa9, // value: 2 UTF-8 bytes
      4, // 2 headers
      2, 0x61, 2, 0x31,
      2, 0x61, 2, 0x32,
    ]);
  });

  it('when messages are grouped by partition, then each partition keeps the messages in order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: String(i) }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata: [{}], messages, partitioner: ({ message }) => Number(message.key) % 3 });
    expect(grouped).toEqual({
      0: [{ key: '0' }, { key: '3' }, { key: '6' }, { key: '9' }],
      1: [{ key: '1' }, { key: '4' }, { key: '7' }],
      2: [{ key: '2' }, { key: '5' }, { key: '8' }],
    });
  });

  it('when a send is retried after the broker refused one partition, then every message goes again to the partition it had, under the same sequence numbers', async () => {
    // One broker leads partitions 0–2. The first request is refused as a whole (one partition
    // not led yet), the second accepted; a round-robin partitioner, as kafkajs' default is for
    // messages without key, would give each message another partition on the retry.
    const requests: ProducedPartition[][] = [];
    const sequences = new Map<number, number>();
    const broker = {
      nodeId: 0,
      produce: async ({ topicData }: { topicData: Array<{ partitions: ProducedPartition[] }> }) => {
        requests.push(topicData.flatMap((t) => t.partitions.map((p) => ({ partition: p.partition, firstSequence: p.firstSequence, messages: [...p.messages] }))));
        if (requests.length === 1) throw new KafkaJSProtocolError({ message: 'This server is not the leader for that topic-partition', type: 'NOT_LEADER_FOR_PARTITION', retriable: true });
        return { topics: [] };
      },
    };
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0 }));
    const cluster = {
      refreshMetadataIfNecessary: async () => undefined,
      refreshMetadata: async () => undefined,
      addMultipleTargetTopics: async () => undefined,
      isConnected: () => true,
      findTopicPartitionMetadata: () => partitionMetadata,
      findLeaderForPartitions: (_topic: string, partitions: string[]) => ({ 0: partitions.map(Number) }),
      findBroker: async () => broker,
    };
    const eosManager = {
      acquireBrokerLock: async () => undefined,
      releaseBrokerLock: async () => undefined,
      isTransactional: () => false,
      getSequence: (_topic: string, partition: number) => sequences.get(partition) ?? 0,
      updateSequence: (_topic: string, partition: number, n: number) => sequences.set(partition, (sequences.get(partition) ?? 0) + n),
      getProducerId: () => 1,
      getProducerEpoch: () => 0,
      getTransactionalId: () => undefined,
    };
    let next = 0;
    const roundRobin = () => next++ % 3;
    const logger = { error: () => undefined, debug: () => undefined, warn: () => undefined, info: () => undefined };
    const send = createSendMessages({ logger, cluster, partitioner: roundRobin, eosManager, retrier: createRetry({ retries: 2, initialRetryTime: 1, maxRetryTime: 5 }) });
    await send({ acks: -1, timeout: 1000, topicMessages: [{ topic: 't', messages: Array.from({ length: 7 }, (_, i) => ({ key: null, value: `m${i}` })) }] });
    expect(requests).toHaveLength(2);
    const placement = (request: ProducedPartition[]) => request.map((p) => [p.partition, p.firstSequence, p.messages.map((m) => m.value)]).sort();
    expect(placement(requests[1])).toEqual(placement(requests[0]));
    expect([...sequences].sort()).toEqual([[0, 3], [1, 2], [2, 2]]);
  });

  it('when a producer runs transactions, then it looks its coordinators up once, and again only after a request to one failed', async () => {
    const requests: string[] = [];
    let refuseNextOffsets = false;
    const coordinator = {
      nodeId: 7,
      initProducerId: async () => {
        requests.push('InitProducerId');
        return { producerId: 1, producerEpoch: 0 };
      },
      addPartitionsToTxn: async () => void requests.push('AddPartitionsToTxn'),
      addOffsetsToTxn: async () => {
        requests.push('AddOffsetsToTxn');
        if (refuseNextOffsets) {
          refuseNextOffsets = false;
          throw new KafkaJSProtocolError({ message: 'This is not the correct coordinator', type: 'NOT_COORDINATOR', retriable: true });
        }
      },
      txnOffsetCommit: async () => void requests.push('TxnOffsetCommit'),
      endTxn: async () => void requests.push('EndTxn'),
    };
    const cluster = {
      retry: { retries: 0 },
      refreshMetadataIfNecessary: async () => undefined,
      findGroupCoordinator: async ({ coordinatorType }: { coordinatorType: number }) => {
        requests.push(`FindCoordinator(${coordinatorType === 1 ? 'transaction' : 'group'})`);
        return coordinator;
      },
      findBroker: async ({ nodeId }: { nodeId: number }) => {
        if (nodeId !== 7) throw new Error(`no broker ${nodeId}`);
        return coordinator;
      },
    };
    const logger = { error: () => undefined, debug: () => undefined, warn: () => undefined, info: () => undefined };
    const eos = createEosManager({ logger, cluster, transactional: true, transactionalId: 'tx-in-0' });
    const transaction = async () => {
      eos.beginTransaction();
      await eos.addPartitionsToTransaction([{ topic: 'out', partitions: [{ partition: 0 }] }]);
      await eos.sendOffsets({ consumerGroupId: 'group', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }] });
      await eos.commit();
    };
    await eos.initProducerId();
    await transaction();
    await transaction();
    expect(requests).toEqual([
      'FindCoordinator(transaction)', 'InitProducerId',
      'AddPartitionsToTxn', 'AddOffsetsToTxn', 'FindCoordinator(group)', 'TxnOffsetCommit', 'EndTxn',
      'AddPartitionsToTxn', 'AddOffsetsToTxn', 'TxnOffsetCommit', 'EndTxn',
    ]);

    requests.length = 0;
    refuseNextOffsets = true;
    await expect(transaction()).rejects.toMatchObject({ type: 'NOT_COORDINATOR' });
    await eos.abort();
    expect(requests).toEqual(['AddPartitionsToTxn', 'AddOffsetsToTxn', 'FindCoordinator(transaction)', 'EndTxn']);
  });

  describe('decoding fetched records', () => {
    async function roundTrip(firstOffset: string, firstTimestamp: number, records: Parameters<RecordEncoder>[0][]): Promise<DecodedRecord[]> {
      const batch = await RecordBatch({
        firstOffset: Long.fromString(firstOffset),
        firstTimestamp,
        maxTimestamp: firstTimestamp,
        lastOffsetDelta: records.length - 1,
        records: records.map(encodeRecord),
      });
      return (await decodeRecordBatch(new Decoder(batch.buffer))).records;
    }

    it('when offsets and timestamps fit in a double, then each record gets its exact offset and timestamp as strings', async () => {
      const records = await roundTrip('9007199254740990', 1694479551000, [
        { offsetDelta: 0, timestampDelta: 0, key: 'a', value: 'x' },
        { offsetDelta: 1, timestampDelta: -1000, key: null, value: null },
      ]);
      expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
        ['9007199254740990', '1694479551000', 'a', 'x'],
        ['9007199254740991', '1694479550000', null, null],
      ]);
    });

    it('when an offset is beyond 2^53, then it is still exact', async () => {
      const records = await roundTrip('9223372036854775000', 0, [
        { offsetDelta: 0, timestampDelta: 0, key: null, value: 'x' },
        { offsetDelta: 7, timestampDelta: 0, key: null, value: 'y' },
      ]);
      expect(records.map((r) => r.offset)).toEqual(['9223372036854775000', '9223372036854775007']);
    });

    it('when headers repeat a name or are called __proto__, then they decode as own properties, repeated ones as arrays', async () => {
      const [record] = await roundTrip('0', 0, [{ key: null, value: 'x', headers: { a: ['1', '2'], ['__proto__']: 'p', b: '3' } }]);
      expect(Object.getPrototypeOf(record?.headers)).toBe(Object.prototype);
      expect(Object.entries(record?.headers ?? {}).map(([k, v]) => [k, [v].flat().map(String)])).toEqual([
        ['a', ['1', '2']],
        ['__proto__', ['p']],
        ['b', ['3']],
      ]);
    });

    it('when a header name is not ASCII, then it decodes as the same UTF-8 text', async () => {
      const [record] = await roundTrip('0', 0, [{ key: null, value: 'x', headers: { 'quelle-größe': '1', 'ключ': '2' } }]);
      expect(Object.keys(record?.headers ?? {})).toEqual(['quelle-größe', 'ключ']);
    });

    it('when headers are named like inherited members (toString, constructor), then they decode as own properties', async () => {
      const [record] = await roundTrip('0', 0, [{ key: null, value: 'x', headers: { toString: '1', constructor: ['2', '3'] } }]);
      expect(Object.entries(record?.headers ?? {}).map(([k, v]) => [k, [v].flat().map(String)])).toEqual([
        ['toString', ['1']],
        ['constructor', ['2', '3']],
      ]);
    });

    it('when many records share some timestamps and header names, then each still gets its own timestamp and headers', async () => {
      // Deltas that repeat, change and come back: a reused timestamp must be the same delta's.
      const deltas = [0, 0, 5, 5, 5, 0, -3, -3, 7];
      const records = await roundTrip(
        '100',
        1694479551000,
        deltas.map((timestampDelta, i) => ({ offsetDelta: i, timestampDelta, key: null, value: String(i), headers: { 'login.source': `s:${i}`, [`only-${i % 2}`]: 'x' } })),
      );
      expect(records.map((r) => r.timestamp)).toEqual(deltas.map((d) => String(1694479551000 + d)));
      expect(records.map((r) => [r.headers['login.source']?.toString(), Object.keys(r.headers)])).toEqual(deltas.map((_, i) => [`s:${i}`, ['login.source', `only-${i % 2}`]]));
    });

    it('when a batch has more distinct header names than are remembered, and names longer than remembered ones, then every name decodes exactly', async () => {
      const names = [...Array.from({ length: 100 }, (_, i) => `name-${i}`), 'n'.repeat(65), `${'é'.repeat(40)}x`];
      const records = await roundTrip(
        '0',
        0,
        [0, 1].map((round) => ({ offsetDelta: round, timestampDelta: 0, key: null, value: 'x', headers: Object.fromEntries(names.map((n) => [n, `${round}`])) })),
      );
      for (const record of records) expect(Object.keys(record.headers)).toEqual(names);
      expect(records.map((r) => r.headers['name-99']?.toString())).toEqual(['0', '1']);
    });
  });

  describe('batching fetched records', () => {
    const offsetsFrom = (fetchedOffset: string, offsets: string[]) =>
      new Batch('t', fetchedOffset, { partition: 0, highWatermark: '0', messages: offsets.map((offset) => ({ offset, isControlRecord: false })) }).messages.map(
        (m) => m.offset,
      );

    it('when a fetch returns records before the fetched offset, then the batch starts at the fetched offset', () => {
      expect(offsetsFrom('10', ['8', '9', '10', '11'])).toEqual(['10', '11']);
      expect(offsetsFrom('9007199254740991', ['9007199254740990', '9007199254740991', '9007199254740992'])).toEqual([
        '9007199254740991',
        '9007199254740992',
      ]);
    });

    it('when offsets are beyond 2^53, then they are still compared exactly', () => {
      expect(offsetsFrom('9223372036854775001', ['9223372036854775000', '9223372036854775001', '9223372036854775002'])).toEqual([
        '9223372036854775001',
        '9223372036854775002',
      ]);
    });
  });

  describe('checksumming record batches', () => {
    /** CRC-32C one bit at a time, straight from the definition (reflected polynomial 0x82F63B78). */
    function referenceCrc32C(bytes: Buffer): number {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
      }
      return (crc ^ 0xffffffff) >>> 0;
    }

    it('when the standard check input "123456789" is summed, then the CRC-32C is 0xE3069283', () => {
      expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    });

    it('when buffers of every length from 0 to 64 and larger ones at any offset are summed, then the CRC-32C matches the definition', () => {
      const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + 17) % 256));
      for (let length = 0; length <= 64; length++) expect(crc32C(bytes.subarray(0, length))).toBe(referenceCrc32C(bytes.subarray(0, length)));
      for (const [start, end] of [[1, 1000], [3, 4099], [7, 5000]]) {
        expect(crc32C(bytes.subarray(start, end))).toBe(referenceCrc32C(bytes.subarray(start, end)));
      }
    });
  });
});
