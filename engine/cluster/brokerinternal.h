#pragma once
// Broker internals shared by its translation units (broker.cpp, brokerfetch.cpp): the purgatory
// entries and the follower fetcher state. Not part of the cluster's interface.

#include "cluster/broker.h"

namespace brokerlab::cluster {

inline constexpr sim::SimTime kReplicaSocketTimeout = 30000 * sim::kMicrosPerMs; // replica.socket.timeout.ms
inline constexpr sim::SimTime kReplicaFetchBackoff = 1000 * sim::kMicrosPerMs; // replica.fetch.backoff.ms
inline constexpr sim::SimTime kLogCleanerBackoff = 15000 * sim::kMicrosPerMs; // log.cleaner.backoff.ms

// An acks=all produce waiting for the high watermark to pass its records.
struct Broker::DelayedProduce {
    struct Pending {
        protocol::TopicPartition topicPartition;
        std::size_t topicIndex;
        std::size_t partitionIndex;
        std::int64_t requiredOffset;
        bool done = false;
    };
    protocol::ProduceResponse response;
    std::vector<Pending> pending;
    std::size_t remaining = 0;
    Responder<protocol::ProduceResponse> respond;
    bool completed = false;
};

// A fetch waiting for fetch.min.bytes (or replica.fetch.min.bytes) of new data, or its max wait.
struct Broker::DelayedFetch {
    sim::NodeId from = 0;
    protocol::FetchRequest request;
    Responder<protocol::FetchResponse> respond;
    bool completed = false;
    bool follower() const { return request.replicaId >= 0; }
};

// One replica fetcher per leader broker, as with num.replica.fetchers=1.
struct Broker::Fetcher {
    bool inFlight = false;
    std::uint64_t requestId = 0;
    sim::SimTime sentAt = 0;
    bool timeoutArmed = false;
    bool backoffPending = false;
    bool diskWritePending = false; // a slow disk is still writing the last response
};

} // namespace brokerlab::cluster
