#pragma once
// What a partition's replica remembers of idempotent producers (Kafka's ProducerStateManager):
// per producer id, its epoch and the metadata of its last 5 batches. The leader uses it to answer
// a retried duplicate with its original offsets and to refuse a sequence gap; followers keep it
// current from the batches they fetch, so a new leader deduplicates too.

#include "log/recordbatch.h"

#include <cstdint>
#include <deque>
#include <map>

namespace brokerlab::cluster {

class ProducerState {
public:
    static constexpr std::size_t kRetainedBatches = 5; // Kafka keeps the last 5 per producer

    enum class Verdict { Append, Duplicate, OutOfOrder, StaleEpoch };
    struct Check {
        Verdict verdict = Verdict::Append;
        std::int64_t firstOffset = -1; // Duplicate: where the original landed
        std::int64_t lastOffset = -1;
    };

    // Checks a batch a client sent (header as received, offsets not yet assigned).
    Check check(const log::BatchHeader& batch) const;
    // Records a batch appended at its final offsets (leader or follower).
    void record(const log::BatchHeader& appended);
    // Forgets batches at or past `logEndOffset` (truncation, power loss).
    void truncate(std::int64_t logEndOffset);
    std::size_t producers() const { return producers_.size(); }

private:
    struct BatchMetadata {
        std::int32_t firstSequence;
        std::int32_t lastSequence;
        std::int64_t firstOffset;
        std::int64_t lastOffset;
    };
    struct Entry {
        std::int16_t epoch = -1;
        std::deque<BatchMetadata> batches;
    };
    std::map<std::int64_t, Entry> producers_;
};

} // namespace brokerlab::cluster
