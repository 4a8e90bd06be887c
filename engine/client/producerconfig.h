#pragma once
// Producer settings under Kafka's names; defaults are Apache Kafka 4.0's.

#include "log/record.h"

#include <cstdint>
#include <limits>
#include <string>

namespace brokerlab::client {

struct ProducerConfig {
    std::string clientId; // client.id
    std::int16_t acks = -1; // acks: 0, 1 or -1 ("all")
    bool enableIdempotence = true; // enable.idempotence
    std::int64_t lingerMs = 5; // linger.ms
    std::int32_t batchSize = 16384; // batch.size
    std::int32_t maxInFlightRequestsPerConnection = 5; // max.in.flight.requests.per.connection
    std::int64_t deliveryTimeoutMs = 120000; // delivery.timeout.ms
    std::int64_t requestTimeoutMs = 30000; // request.timeout.ms
    std::int32_t retries = std::numeric_limits<std::int32_t>::max(); // retries
    std::int64_t retryBackoffMs = 100; // retry.backoff.ms
    log::Compression compression = log::Compression::None; // compression.type
    std::int64_t bufferMemory = 33554432; // buffer.memory
    std::int64_t metadataMaxAgeMs = 300000; // metadata.max.age.ms
};

} // namespace brokerlab::client
