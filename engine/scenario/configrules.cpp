// Rules that tie two or more configs together, as Kafka's clients and brokers enforce them at start-up.

#include "scenario/configapply.h"

namespace brokerlab::scenario {

namespace {

bool isExplicit(const std::set<std::string>& explicitNames, const char* name) { return explicitNames.contains(name); }

} // namespace

std::optional<ConfigConflict> finishProducerConfig(
    client::ProducerConfig& config, const std::set<std::string>& explicitNames)
{
    // Kafka's producer: idempotence is on by default but yields to conflicting settings unless the user
    // asked for it; then the conflict is a configuration error.
    if (config.enableIdempotence) {
        std::optional<ConfigConflict> conflict;
        if (config.acks != -1) {
            conflict = ConfigConflict { "acks",
                "an idempotent producer needs acks=all; set acks to \"all\" or enable.idempotence to false" };
        } else if (config.maxInFlightRequestsPerConnection > 5) {
            conflict = ConfigConflict { "max.in.flight.requests.per.connection",
                "an idempotent producer allows at most 5 requests in flight; lower it or set enable.idempotence to "
                "false" };
        } else if (config.retries == 0) {
            conflict = ConfigConflict { "retries",
                "an idempotent producer needs retries > 0; raise it or set enable.idempotence to false" };
        }
        if (conflict) {
            if (isExplicit(explicitNames, "enable.idempotence"))
                return conflict;
            config.enableIdempotence = false;
        }
    }

    const std::int64_t minimumDelivery = config.lingerMs + config.requestTimeoutMs;
    if (config.deliveryTimeoutMs < minimumDelivery) {
        if (isExplicit(explicitNames, "delivery.timeout.ms")) {
            return ConfigConflict { "delivery.timeout.ms",
                "delivery.timeout.ms must be at least linger.ms + request.timeout.ms ("
                    + std::to_string(minimumDelivery) + "), got " + std::to_string(config.deliveryTimeoutMs) };
        }
        config.deliveryTimeoutMs = minimumDelivery; // what Kafka's producer does with the default
    }
    return std::nullopt;
}

std::optional<ConfigConflict> finishConsumerConfig(
    client::ConsumerConfig& config, const std::set<std::string>& explicitNames)
{
    if (config.heartbeatIntervalMs >= config.sessionTimeoutMs) {
        const char* name
            = isExplicit(explicitNames, "heartbeat.interval.ms") ? "heartbeat.interval.ms" : "session.timeout.ms";
        return ConfigConflict { name,
            "heartbeat.interval.ms (" + std::to_string(config.heartbeatIntervalMs)
                + ") must be lower than session.timeout.ms (" + std::to_string(config.sessionTimeoutMs)
                + "), or the member would be expelled between two heartbeats" };
    }
    if (isExplicit(explicitNames, "group.instance.id") && config.groupInstanceId.empty()) {
        return ConfigConflict { "group.instance.id",
            "group.instance.id must not be empty; leave it out for a dynamic member" };
    }
    if (isExplicit(explicitNames, "group.id") && config.groupId.empty()) {
        return ConfigConflict { "group.id",
            "group.id must not be empty: a scenario's consumers subscribe to topics, which needs a group" };
    }
    return std::nullopt;
}

std::optional<ConfigConflict> checkBrokerConfig(const cluster::BrokerConfig& config, std::int32_t brokers)
{
    if (config.replicaFetchWaitMaxMs > config.replicaLagTimeMaxMs) {
        return ConfigConflict { "replica.fetch.wait.max.ms",
            "replica.fetch.wait.max.ms (" + std::to_string(config.replicaFetchWaitMaxMs)
                + ") must not exceed replica.lag.time.max.ms (" + std::to_string(config.replicaLagTimeMaxMs)
                + "), or idle followers would keep dropping out of the ISR" };
    }
    const auto brokerWord = [&] { return std::to_string(brokers) + (brokers == 1 ? " broker" : " brokers"); };
    if (config.offsetsTopicReplicationFactor > brokers) {
        return ConfigConflict { "offsets.topic.replication.factor",
            "offsets.topic.replication.factor is " + std::to_string(config.offsetsTopicReplicationFactor)
                + " but the cluster has " + brokerWord()
                + ": Kafka could not create __consumer_offsets, so no consumer group could work; set "
                  "\"offsets.topic.replication.factor\": "
                + std::to_string(brokers) + " in cluster.config" };
    }
    if (config.defaultReplicationFactor > brokers) {
        return ConfigConflict { "default.replication.factor",
            "default.replication.factor is " + std::to_string(config.defaultReplicationFactor) + " but the cluster has "
                + brokerWord() + ": a replica needs a broker of its own" };
    }
    return std::nullopt;
}

} // namespace brokerlab::scenario
