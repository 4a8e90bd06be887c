#include "cluster/producerstate.h"

#include <limits>

namespace brokerlab::cluster {

namespace {

std::int32_t nextSequence(std::int32_t sequence)
{
    // Sequences wrap from INT32_MAX to 0, as Kafka's DefaultRecordBatch.incrementSequence does.
    return sequence == std::numeric_limits<std::int32_t>::max() ? 0 : sequence + 1;
}

} // namespace

ProducerState::Check ProducerState::check(const log::BatchHeader& batch) const
{
    if (batch.producerId < 0)
        return {};
    auto it = producers_.find(batch.producerId);
    if (it == producers_.end() || it->second.batches.empty())
        return {}; // unknown producer (new, or its state expired): accept, as Kafka 2.5+ does
    const Entry& entry = it->second;
    if (batch.producerEpoch < entry.epoch)
        return { .verdict = Verdict::StaleEpoch };
    if (batch.producerEpoch > entry.epoch)
        return {}; // a new epoch starts its sequences over
    const std::int32_t lastSequence = batch.lastSequence();
    for (const BatchMetadata& seen : entry.batches) {
        if (seen.firstSequence == batch.baseSequence && seen.lastSequence == lastSequence)
            return { .verdict = Verdict::Duplicate, .firstOffset = seen.firstOffset, .lastOffset = seen.lastOffset };
    }
    if (batch.baseSequence != nextSequence(entry.batches.back().lastSequence))
        return { .verdict = Verdict::OutOfOrder };
    return {};
}

void ProducerState::record(const log::BatchHeader& appended)
{
    if (appended.producerId < 0 || appended.baseSequence < 0)
        return;
    Entry& entry = producers_[appended.producerId];
    if (appended.producerEpoch != entry.epoch) {
        entry.epoch = appended.producerEpoch;
        entry.batches.clear();
    }
    entry.batches.push_back(
        { appended.baseSequence, appended.lastSequence(), appended.baseOffset, appended.lastOffset() });
    while (entry.batches.size() > kRetainedBatches)
        entry.batches.pop_front();
}

void ProducerState::truncate(std::int64_t logEndOffset)
{
    for (auto it = producers_.begin(); it != producers_.end();) {
        auto& batches = it->second.batches;
        while (!batches.empty() && batches.back().firstOffset >= logEndOffset)
            batches.pop_back();
        it = batches.empty() ? producers_.erase(it) : std::next(it);
    }
}

} // namespace brokerlab::cluster
