// A consumer group's delivery guarantee, checked after the run: every record the group committed
// past should have been processed by one of its members (at least once), and processed once only
// (at most once). Which of the two a group breaks depends on when it commits; Kafka promises
// nothing more, and the lesson is in seeing which.

#include "check/history.h"

#include <algorithm>
#include <map>
#include <string>

namespace brokerlab::check {

namespace {

std::string offsetList(const std::vector<std::int64_t>& offsets)
{
    std::string text;
    for (std::size_t i = 0; i < offsets.size(); ++i)
        text += (i ? ", " : "") + std::to_string(offsets[i]);
    return text;
}

} // namespace

void checkGroupDelivery(const History& history, const CheckOptions& options, CheckResult& result)
{
    const auto& actors = history.actors();
    // (group, partition) -> processing count per offset, and who processed it last.
    struct Seen {
        std::int32_t times = 0;
        std::uint32_t consumer = 0;
    };
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::map<std::int64_t, Seen>> processed;
    std::map<std::uint32_t, GroupDelivery> byGroup; // by actor index; sorted by name at the end
    auto groupResult = [&](std::uint32_t group) -> GroupDelivery& {
        GroupDelivery& delivery = byGroup[group];
        delivery.groupId = actors[group];
        return delivery;
    };
    for (const auto& record : history.processedRecords()) {
        Seen& seen = processed[{ record.group, record.partition }][record.offset];
        ++seen.times;
        GroupDelivery& delivery = groupResult(record.group);
        ++delivery.processed;
        if (seen.times > 1) {
            ++delivery.duplicates.count;
            if (delivery.duplicates.examples.size() < options.maxExamples) {
                const auto& topicPartition = history.partitions()[record.partition].topicPartition;
                delivery.duplicates.examples.push_back({ topicPartition, { record.offset }, actors[record.consumer],
                    "group '" + delivery.groupId + "' processed " + topicPartition.toString() + " offset "
                        + std::to_string(record.offset) + " again (" + std::to_string(seen.times) + " times), last by '"
                        + actors[record.consumer] + "'" });
            }
        }
        seen.consumer = record.consumer;
    }
    // The last commit per (group, partition) wins; the history holds them in the order given.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> committed;
    for (const auto& commit : history.groupCommits())
        committed[{ commit.group, commit.partition }] = commit.offset;
    for (const auto& [key, committedOffset] : committed) {
        const auto [group, partitionIndex] = key;
        const auto found = processed.find(key);
        if (found == processed.end() || found->second.empty())
            continue; // the group never processed this partition here: nothing to judge it by
        const History::Partition& partition = history.partitions()[partitionIndex];
        if (partition.truth < 0)
            continue;
        const History::LogImage& log = partition.replicas[static_cast<std::size_t>(partition.truth)].log;
        const auto& seen = found->second;
        const std::int64_t from = seen.begin()->first;
        GroupDelivery& delivery = groupResult(group);
        std::vector<std::int64_t> missedHere;
        std::int64_t missedCount = 0;
        for (std::size_t i = log.lowerBound(from); i < log.size() && log.offsetAt(i) < committedOffset; ++i) {
            const std::int64_t offset = log.offsetAt(i);
            if (seen.contains(offset))
                continue;
            ++missedCount;
            if (missedHere.size() < 5)
                missedHere.push_back(offset);
        }
        if (missedCount == 0)
            continue;
        delivery.missed.count += missedCount;
        if (delivery.missed.examples.size() < options.maxExamples) {
            delivery.missed.examples.push_back({ partition.topicPartition, missedHere, delivery.groupId,
                "group '" + delivery.groupId + "' committed " + partition.topicPartition.toString() + " up to offset "
                    + std::to_string(committedOffset) + " but never processed " + std::to_string(missedCount)
                    + " record(s) below it (first: " + offsetList(missedHere) + ")" });
        }
    }
    for (auto& [group, delivery] : byGroup)
        result.groups.push_back(std::move(delivery));
    std::sort(result.groups.begin(), result.groups.end(),
        [](const GroupDelivery& a, const GroupDelivery& b) { return a.groupId < b.groupId; });
}

} // namespace brokerlab::check
