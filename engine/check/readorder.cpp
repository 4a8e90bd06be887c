// The order each consumer group read records in, against the order their producers sent them:
// Kafka keeps order within a partition (so per key), not across the partitions of a topic.

#include "check/history.h"
#include "check/recordhash.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace brokerlab::check {

void checkReadOrder(const History& history, const CheckOptions& options, CheckResult& result)
{
    const auto& actors = history.actors();
    const auto& acked = history.acked();
    // A record's hash -> its first acknowledgement: who sent it, and when in that producer's order.
    std::unordered_map<std::uint64_t, std::size_t> sentAs;
    sentAs.reserve(acked.size());
    for (std::size_t i = 0; i < acked.size(); ++i)
        sentAs.emplace(acked[i].hash, i);

    struct GroupOrder {
        ReadOrder order;
        std::unordered_set<std::uint64_t> seen; // records already read once
        std::map<std::uint32_t, std::int64_t> latestByProducer; // highest send order read so far
        std::map<std::pair<std::uint32_t, std::uint64_t>, std::int64_t> latestByKey; // (producer, key hash)
    };
    std::map<std::string, GroupOrder, std::less<>> groups; // ordered: the report lists groups by id
    std::vector<GroupOrder*> groupOfActor(actors.size(), nullptr);
    const std::uint64_t nullKey = keyHash(std::nullopt);
    for (const History::Consumed& read : history.consumedRecords()) {
        GroupOrder*& group = groupOfActor[read.consumer];
        if (!group) {
            const std::string& consumer = actors[read.consumer];
            const auto named = options.consumerGroups.find(consumer);
            const std::string& groupId = named != options.consumerGroups.end() ? named->second : consumer;
            group = &groups[groupId];
            group->order.groupId = groupId;
        }
        const auto sent = sentAs.find(read.hash);
        if (sent == sentAs.end() || !group->seen.insert(read.hash).second)
            continue; // never acknowledged, or read again after a rebalance or a restart
        const History::Acked& record = acked[sent->second];
        ++group->order.records;
        std::int64_t& latest = group->latestByProducer.try_emplace(record.producer, -1).first->second;
        if (record.sendOrder < latest)
            ++group->order.outOfProductionOrder;
        else
            latest = record.sendOrder;
        if (record.keyHash == nullKey)
            continue;
        std::int64_t& latestOfKey
            = group->latestByKey.try_emplace({ record.producer, record.keyHash }, -1).first->second;
        if (record.sendOrder < latestOfKey)
            ++group->order.outOfKeyOrder;
        else
            latestOfKey = record.sendOrder;
    }
    for (auto& [groupId, group] : groups)
        result.readOrder.push_back(std::move(group.order));
}

} // namespace brokerlab::check
