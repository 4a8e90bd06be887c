// KafkaJS (a pure JavaScript client, written apart from librdkafka and kafka-python) against
// `brokerlab-cli serve`. Run by test_wireclients when Node.js can load kafkajs (npm install kafkajs, then
// NODE_PATH=<that directory>/node_modules); prints one JSON object with what the client saw.
//
// usage: node kafkajs.cjs BOOTSTRAP
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const RECORDS = 300;
const TOPIC = 'js-orders';
const GROUP = 'js-group';

async function main() {
    const kafka = new Kafka({ clientId: 'js-client', brokers: process.argv[2].split(','), logLevel: logLevel.ERROR });
    const seen = {};

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    seen.partitions = metadata.topics[0].partitions.map((p) => ({ id: p.partitionId, leader: p.leader, isr: p.isr }));

    // Idempotent, acks=all (KafkaJS allows idempotence with one request in flight).
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = [];
    for (let i = 0; i < RECORDS; ++i)
        messages.push({ key: `key-${i % 11}`, value: JSON.stringify({ n: i }), headers: { source: 'kafkajs' } });
    const acked = await producer.send({ topic: TOPIC, acks: -1, messages });
    seen.produce = { batches: acked.length, errors: acked.filter((r) => r.errorCode !== 0).length };
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: GROUP });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const numbers = new Set();
    let consumed = 0;
    let headersOk = true;
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${consumed} records`)), 90000);
        consumer.run({
            eachMessage: async ({ message }) => {
                ++consumed;
                numbers.add(JSON.parse(message.value.toString()).n);
                headersOk = headersOk && message.headers.source && message.headers.source.toString() === 'kafkajs';
                if (numbers.size === RECORDS) {
                    clearTimeout(timer);
                    resolve();
                }
            },
        });
    });
    await consumer.disconnect(); // commits what it consumed, then leaves the group
    seen.consume = { consumed, distinct: numbers.size, headersOk };

    const groups = await admin.listGroups();
    const offsets = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    seen.admin = {
        groups: groups.groups.map((g) => g.groupId),
        committed: offsets[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0),
    };
    await admin.disconnect();
    process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((error) => {
    process.stderr.write(`kafkajs: ${error.stack || error}\n`);
    process.exit(1);
});
