// kafkajs-snappy ships no types: its module is the codec factory kafkajs registers.
declare module 'kafkajs-snappy' {
  const snappyCodec: () => unknown;
  export = snappyCodec;
}
