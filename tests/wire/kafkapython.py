#!/usr/bin/python3
"""kafka-python (Debian's python3-kafka), a second Kafka client independent of librdkafka, against
`brokerlab-cli serve`. Run by test_wireclients; prints one JSON object with what the client saw.

usage: kafkapython.py BOOTSTRAP
"""

import json
import sys
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

RECORDS = 600


def produce(bootstrap):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="py-producer",
                             request_timeout_ms=15000, retries=5)
    futures = [producer.send("orders", key=b"key-%d" % (i % 37), value=json.dumps({"n": i}).encode(),
                             headers=[("source", b"kafka-python")]) for i in range(RECORDS)]
    producer.flush(60)
    acked = [future.get(timeout=30) for future in futures]
    producer.close(10)
    return {
        "api_version": list(producer.config["api_version"]),
        "acked": len(acked),
        "partitions": sorted({metadata.partition for metadata in acked}),
    }


def consume(bootstrap):
    consumer = KafkaConsumer("orders", bootstrap_servers=bootstrap, group_id="py-group", client_id="py-consumer",
                             auto_offset_reset="earliest", enable_auto_commit=False, consumer_timeout_ms=6000)
    seen = {}
    headers_ok = True
    for message in consumer:
        seen[(message.partition, message.offset)] = json.loads(message.value)["n"]
        headers_ok = headers_ok and ("source", b"kafka-python") in message.headers
    consumer.commit()
    consumer.close()
    numbers = sorted(seen.values())
    return {"consumed": len(seen), "distinct_numbers": len(set(numbers)), "headers_ok": headers_ok}


class Member(threading.Thread):
    """A group member polling on its own thread, as an application would (a join blocks until the group's
    other members have joined too)."""

    def __init__(self, bootstrap, client_id):
        super().__init__(daemon=True)
        self.consumer = KafkaConsumer("orders", bootstrap_servers=bootstrap, group_id="py-pair",
                                      client_id=client_id, auto_offset_reset="earliest",
                                      session_timeout_ms=10000, heartbeat_interval_ms=500)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.partitions = set()

    def run(self):
        while not self.stop.is_set():
            self.consumer.poll(timeout_ms=100)
            with self.lock:
                self.partitions = {tp.partition for tp in self.consumer.assignment()}
        self.consumer.close()

    def assigned(self):
        with self.lock:
            return set(self.partitions)


def wait_for(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline and not condition():
        time.sleep(0.1)
    return condition()


def rebalance(bootstrap):
    """Two members of one group: the second joining takes partitions from the first."""
    first = Member(bootstrap, "py-first")
    first.start()
    wait_for(lambda: len(first.assigned()) == 3, 30)
    alone = first.assigned()
    second = Member(bootstrap, "py-second")
    second.start()
    wait_for(lambda: first.assigned() and second.assigned() and not (first.assigned() & second.assigned())
             and len(first.assigned() | second.assigned()) == 3, 40)
    a, b = first.assigned(), second.assigned()
    for member in (first, second):
        member.stop.set()
    for member in (first, second):
        member.join(30)
    return {"alone": len(alone), "first": sorted(a), "second": sorted(b)}


def admin(bootstrap):
    client = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="py-admin")
    client.create_topics([NewTopic("py-created", 4, 3)])
    topics = client.list_topics()
    offsets = client.list_consumer_group_offsets("py-group")
    committed = sum(offsets[TopicPartition("orders", p)].offset for p in range(3) if TopicPartition("orders", p) in offsets)
    groups = sorted(group for group, _ in client.list_consumer_groups())
    client.close()
    return {"topics": sorted(topics), "committed": committed, "groups": groups}


def main():
    bootstrap = sys.argv[1].split(",")
    result = {}
    result["produce"] = produce(bootstrap)
    print("done: produce", file=sys.stderr, flush=True)
    result["consume"] = consume(bootstrap)
    print("done: consume", file=sys.stderr, flush=True)
    result["admin"] = admin(bootstrap)
    print("done: admin", file=sys.stderr, flush=True)
    result["rebalance"] = rebalance(bootstrap)
    print("done: rebalance", file=sys.stderr, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
