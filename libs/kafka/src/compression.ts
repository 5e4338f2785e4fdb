import type { CompressionCodec } from '@login-stream/config';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';

/** kafkajs' codec contract: whole record sets in and out. */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// kafkajs reads gzip itself and throws KafkaJSNotImplemented for the others, which would end a
// consumer at the first batch any Java or librdkafka client compressed. Each codec is a
// maintained package with prebuilt binaries from npm (snappyjs is plain JavaScript and also reads
// the Java client's xerial framing). Kafka's lz4 is the LZ4 frame format, as lz4-napi writes it.
const lz4: Codec = {
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
};
const zstd: Codec = {
  compress: (encoder) => zstdCompress(encoder.buffer),
  decompress: (buffer) => zstdDecompress(buffer),
};

const codecs = CompressionCodecs as Record<CompressionTypes, () => Codec>;
codecs[CompressionTypes.Snappy] = snappyCodec as () => Codec;
codecs[CompressionTypes.LZ4] = () => lz4;
codecs[CompressionTypes.ZSTD] = () => zstd;

const TYPES: Readonly<Record<CompressionCodec, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/**
 * The kafkajs compression type of a codec name (KAFKA_COMPRESSION). Importing this module (any
 * import of @login-stream/kafka does) registers every codec with kafkajs, once per process.
 */
export function compressionType(codec: CompressionCodec): CompressionTypes {
  return TYPES[codec];
}
