#pragma once
// Consumer settings under Kafka's names; defaults are Apache Kafka's.

#include "client/deserializer.h"

#include <cstdint>
#include <string>

namespace brokerlab::client {

enum class OffsetReset { Earliest, Latest, None }; // auto.offset.reset

struct ConsumerConfig {
    std::string clientId; // client.id
    std::string groupId; // group.id (empty: no group, assign() only)
    std::int32_t maxPollRecords = 500; // max.poll.records
    std::int32_t fetchMinBytes = 1; // fetch.min.bytes
    std::int32_t fetchMaxWaitMs = 500; // fetch.max.wait.ms
    std::int32_t fetchMaxBytes = 52428800; // fetch.max.bytes
    std::int32_t maxPartitionFetchBytes = 1048576; // max.partition.fetch.bytes
    OffsetReset autoOffsetReset = OffsetReset::Latest; // auto.offset.reset
    bool enableAutoCommit = true; // enable.auto.commit
    std::int64_t autoCommitIntervalMs = 5000; // auto.commit.interval.ms
    std::int32_t sessionTimeoutMs = 45000; // session.timeout.ms
    std::int32_t heartbeatIntervalMs = 3000; // heartbeat.interval.ms
    std::int32_t maxPollIntervalMs = 300000; // max.poll.interval.ms
    std::int64_t requestTimeoutMs = 30000; // request.timeout.ms
    std::int64_t retryBackoffMs = 100; // retry.backoff.ms
    std::string partitionAssignmentStrategy = "range,cooperative-sticky"; // partition.assignment.strategy
    std::string groupInstanceId; // group.instance.id (static membership)
    std::string groupProtocol = "classic"; // group.protocol: classic or consumer (KIP-848)
    std::string groupRemoteAssignor = "uniform"; // group.remote.assignor (KIP-848): uniform or range
    // value.deserializer: Kafka requires one; Brokerlab's default, bytes, accepts every value.
    ValueDeserializer valueDeserializer = ValueDeserializer::ByteArray;
};

} // namespace brokerlab::client
