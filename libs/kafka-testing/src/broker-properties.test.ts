import { randomClusterId, renderLog4jProperties, renderServerProperties } from './broker-properties';

function parse(properties: string): Map<string, string> {
  return new Map(
    properties
      .trimEnd()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as const;
      }),
  );
}

describe('renderServerProperties', () => {
  const props = parse(renderServerProperties({ brokerPort: 19092, controllerPort: 19093, logDir: '/tmp/kb/data' }));

  test('when rendered, then it is a combined broker+controller node voting for itself on the controller port', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
  });

  test('when rendered, then clients are served and advertised on the broker port of 127.0.0.1 only', () => {
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(props.get('inter.broker.listener.name')).toBe('PLAINTEXT');
  });

  test('when rendered, then transactions and consumer groups work on a single replica', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
    expect(props.get('min.insync.replicas')).toBe('1');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
  });

  test('when rendered, then topics are never auto-created and data goes to the given directory', () => {
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('log.dirs')).toBe('/tmp/kb/data');
  });

  test('when a path contains backslashes, then they are escaped for the Java properties format', () => {
    const windows = parse(renderServerProperties({ brokerPort: 1, controllerPort: 2, logDir: 'C:\\kafka\\data' }));
    expect(windows.get('log.dirs')).toBe('C:\\\\kafka\\\\data');
  });
});

describe('renderLog4jProperties', () => {
  test('when rendered, then the broker logs only to the given file', () => {
    const props = parse(renderLog4jProperties('/tmp/kb/broker.log'));
    expect(props.get('log4j.rootLogger')).toBe('INFO, file');
    expect(props.get('log4j.appender.file.File')).toBe('/tmp/kb/broker.log');
    expect([...props.keys()].filter((key) => /^log4j\.appender\.[^.]+$/.test(key))).toEqual(['log4j.appender.file']);
  });
});

describe('randomClusterId', () => {
  test('when generated, then it is a 16-byte unpadded base64url Kafka Uuid that cannot be read as a flag', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });
});
