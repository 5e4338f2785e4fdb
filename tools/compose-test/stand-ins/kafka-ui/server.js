'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run as is by node in the stand-in image */
// A kafka-ui stand-in for the compose test: the topics of KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS on
// http://localhost:8080, and UP on /actuator/health while the cluster answers.
const http = require('node:http');
const { Kafka, logLevel } = require('kafkajs');

const name = process.env.KAFKA_CLUSTERS_0_NAME || 'local';
const brokers = (process.env.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS || 'localhost:9092').split(',');
const admin = new Kafka({ clientId: 'kafka-ui-stand-in', brokers, logLevel: logLevel.NOTHING }).admin();
let connected = admin.connect().then(() => true, () => false);

async function topics() {
  if (!(await connected)) connected = admin.connect().then(() => true, () => false);
  const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
  const rows = [];
  for (const topic of names) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const records = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    rows.push({ topic, partitions: offsets.length, records });
  }
  return rows;
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

http
  .createServer((req, res) => {
    topics().then(
      (rows) => {
        if (req.url === '/actuator/health') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"UP"}');
        } else if (req.url === '/api/topics') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
        } else {
          const body = rows.map((r) => `<tr><td>${escape(r.topic)}</td><td>${r.partitions}</td><td>${r.records}</td></tr>`).join('');
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>${escape(name)} topics</title><h1>Cluster ${escape(name)}</h1><table><tr><th>Topic</th><th>Partitions</th><th>Records</th></tr>${body}</table>`);
        }
      },
      (err) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'DOWN', error: String(err) })),
    );
  })
  .listen(8080);

// PID 1 in its container: without a handler SIGTERM would be ignored until docker kills it.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => admin.disconnect().finally(() => process.exit(0)));
