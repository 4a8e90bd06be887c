#pragma once
// Histories for the checker's tests: small hand-made ones, and a randomized generator that injects a
// known number of each anomaly so the checker's counts can be compared exactly.

#include "check/history.h"
#include "check/recordhash.h"

#include <QString>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace historytest {

using brokerlab::check::CheckResult;
using brokerlab::check::History;
using brokerlab::check::TopicPartition;
using Log = std::vector<std::pair<std::int64_t, std::uint64_t>>;

struct Counts {
    qint64 acked = 0;
    qint64 lost = 0;
    qint64 expired = 0;
    qint64 superseded = 0;
    qint64 duplicated = 0;
    qint64 inconsistent = 0;
    qint64 reordered = 0;
    qint64 failedButRead = 0;
    qint64 pollSkip = 0;
    qint64 nonMonotonicPoll = 0;
    bool operator==(const Counts&) const = default;
};

inline Counts countsOf(const CheckResult& result)
{
    return { result.acked, result.lost.count, result.expired.count, result.superseded.count, result.duplicated.count,
        result.inconsistent.count, result.reordered.count, result.failedButRead.count, result.pollSkip.count,
        result.nonMonotonicPoll.count };
}

// Found by QCOMPARE through argument-dependent lookup.
inline char* toString(const Counts& c)
{
    return qstrdup(qPrintable(QStringLiteral("acked %1 lost %2 expired %3 superseded %4 duplicated %5 inconsistent %6 "
                                             "reordered %7 failedButRead %8 pollSkip %9 nonMonotonicPoll %10")
                                  .arg(c.acked)
                                  .arg(c.lost)
                                  .arg(c.expired)
                                  .arg(c.superseded)
                                  .arg(c.duplicated)
                                  .arg(c.inconsistent)
                                  .arg(c.reordered)
                                  .arg(c.failedButRead)
                                  .arg(c.pollSkip)
                                  .arg(c.nonMonotonicPoll)));
}

// What the generator put in, by kind; every kind touches one record (or one read) of its own.
struct Injection {
    int lost = 0; // acked, then missing from the leader's log
    int overwritten = 0; // acked, then another record at its offset (an unclean election): lost and inconsistent
    int duplicated = 0; // a second copy at the leader's log end
    int diverged = 0; // a follower holds another record below the high watermark
    int reordered = 0; // two sends of one producer and key swap their send numbers
    int failedButRead = 0; // reported failed, yet written and read
    int pollSkips = 0; // a consumer misses one record
    int rereads = 0; // a consumer reads one record twice in a row
    int expired = 0; // the first records of partition 0 are below its log start
};

struct Expected {
    Counts counts;
    qint64 inconsistentReplicas = 0;
    qint64 inconsistentAcks = 0;
    qint64 inconsistentReads = 0;
    qint64 failed = 0;
    qint64 unknown = 0;
    qint64 unknownWritten = 0;
    qint64 consumed = 0;
};

// Three producers send `records` records over `partitions` partitions of "events" with 50 keys; one in
// 50 sends is acks=0. Two consumers read every partition; three replicas per partition, broker 1 leads.
inline Expected generate(History& history, std::uint64_t seed, int records, int partitions, const Injection& inject)
{
    enum class Kind : std::uint8_t { Acked, Failed, Unknown };
    enum Mark : std::uint8_t {
        None = 0,
        Lost = 1,
        Overwritten = 2,
        Duplicated = 4,
        Diverged = 8,
        Skipped = 16,
        Reread = 32,
        Used = 64
    };
    struct Record {
        std::uint64_t hash;
        std::int64_t sendOrder;
        std::uint8_t producer;
        std::uint8_t key;
        Kind kind;
        std::uint8_t marks;
    };
    std::mt19937_64 rng(seed); // its output is fixed by the standard; std::uniform_*_distribution is not
    const auto below = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const auto keyName = [](int key) { return "key-" + std::to_string(key); };

    std::vector<std::vector<Record>> parts(static_cast<std::size_t>(partitions));
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sendOrderOfAll; // (partition, index), send order
    std::int64_t sent[3] = {};
    sendOrderOfAll.reserve(static_cast<std::size_t>(records));
    for (int i = 0; i < records; ++i) {
        const auto producer = static_cast<std::uint8_t>(below(3));
        const auto p = below(static_cast<std::size_t>(partitions));
        const auto key = static_cast<std::uint8_t>(below(50));
        const std::int64_t order = sent[producer]++;
        const std::string value = "producer-" + std::to_string(producer) + "#" + std::to_string(order);
        const Kind kind = below(50) == 0 ? Kind::Unknown : Kind::Acked;
        sendOrderOfAll.emplace_back(static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(parts[p].size()));
        parts[p].push_back({ brokerlab::check::recordHash(keyName(key), value), order, producer, key, kind, None });
    }

    // Injection sites four records apart, so no two anomalies share a record or a pair of adjacent reads.
    std::vector<std::pair<std::size_t, std::size_t>> sites;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        const std::size_t first = 8 + (p == 0 ? static_cast<std::size_t>(inject.expired) : 0);
        for (std::size_t i = first; i + 8 < parts[p].size(); i += 4)
            sites.emplace_back(p, i);
    }
    for (std::size_t i = sites.size(); i > 1; --i)
        std::swap(sites[i - 1], sites[below(i)]);
    std::size_t nextSite = 0;
    const auto take = [&](bool needsAck) -> Record& {
        for (; nextSite < sites.size(); ++nextSite) {
            Record& record = parts[sites[nextSite].first][sites[nextSite].second];
            if (!(record.marks & Used) && (!needsAck || record.kind == Kind::Acked)) {
                record.marks |= Used;
                ++nextSite;
                return record;
            }
        }
        qFatal("not enough records to inject into");
    };

    // Reorders first: each needs the next acknowledged record of its producer and key as a partner.
    int reordered = 0;
    for (std::size_t s = 0; s < sites.size() && reordered < inject.reordered; ++s) {
        auto& part = parts[sites[s].first];
        Record& record = part[sites[s].second];
        if ((record.marks & Used) || record.kind != Kind::Acked)
            continue;
        for (std::size_t j = sites[s].second + 1; j < part.size(); ++j) {
            Record& partner = part[j];
            if (partner.producer != record.producer || partner.key != record.key || partner.kind != Kind::Acked)
                continue;
            if (!(partner.marks & Used)) {
                std::swap(record.sendOrder, partner.sendOrder);
                record.marks |= Used;
                partner.marks |= Used;
                ++reordered;
            }
            break;
        }
    }
    if (reordered < inject.reordered)
        qFatal("not enough reorder partners");
    for (int i = 0; i < inject.lost; ++i)
        take(true).marks |= Lost;
    for (int i = 0; i < inject.overwritten; ++i)
        take(true).marks |= Overwritten;
    for (int i = 0; i < inject.duplicated; ++i)
        take(true).marks |= Duplicated;
    for (int i = 0; i < inject.diverged; ++i)
        take(false).marks |= Diverged;
    for (int i = 0; i < inject.failedButRead; ++i)
        take(true).kind = Kind::Failed;
    for (int i = 0; i < inject.pollSkips; ++i)
        take(false).marks |= Skipped;
    for (int i = 0; i < inject.rereads; ++i)
        take(false).marks |= Reread;

    Expected expected;
    const auto topicPartition = [](std::size_t p) { return TopicPartition { "events", static_cast<std::int32_t>(p) }; };
    const auto producerName = [](int producer) { return "producer-" + std::to_string(producer); };
    for (const auto& [p, i] : sendOrderOfAll) {
        const Record& record = parts[p][i];
        const TopicPartition tp = topicPartition(p);
        const std::string producer = producerName(record.producer);
        if (record.kind == Kind::Acked) {
            history.sendAcked(tp, i, record.hash, producer, keyName(record.key), record.sendOrder);
            ++expected.counts.acked;
            if (p == 0 && i < static_cast<std::uint32_t>(inject.expired))
                ++expected.counts.expired;
        } else if (record.kind == Kind::Failed) {
            history.sendFailed(tp, record.hash, producer);
        } else {
            history.sendUnknown(tp, record.hash, producer);
            ++expected.unknown;
            if (!(p == 0 && i < static_cast<std::uint32_t>(inject.expired)))
                ++expected.unknownWritten;
        }
    }
    // Sends that failed and were never written: not G1a.
    for (int i = 0; i < 5; ++i)
        history.sendFailed(topicPartition(0), brokerlab::check::recordHash("never", std::to_string(i)), "producer-0");
    expected.failed = 5 + inject.failedButRead;

    // Consumers take turns, five records of a partition at a time; consumer-(p % 2) owns partition p.
    std::vector<std::size_t> position(parts.size(), 0);
    for (bool more = true; more;) {
        more = false;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            const std::string consumer = "consumer-" + std::to_string(p % 2);
            for (int n = 0; n < 5 && position[p] < parts[p].size(); ++n, ++position[p]) {
                const std::size_t i = position[p];
                const Record& record = parts[p][i];
                if (record.marks & Skipped)
                    continue;
                const int times = (record.marks & Reread) ? 2 : 1;
                for (int t = 0; t < times; ++t) {
                    history.consumed(
                        topicPartition(p), static_cast<std::int64_t>(i), record.hash, consumer, keyName(record.key));
                    ++expected.consumed;
                }
            }
            more = more || position[p] < parts[p].size();
        }
    }

    std::uint64_t fresh = 0;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        const std::int64_t logStart = p == 0 ? inject.expired : 0;
        const auto highWatermark = static_cast<std::int64_t>(parts[p].size());
        Log leader;
        Log follower;
        Log duplicates;
        for (std::size_t i = static_cast<std::size_t>(logStart); i < parts[p].size(); ++i) {
            const Record& record = parts[p][i];
            const auto offset = static_cast<std::int64_t>(i);
            follower.emplace_back(offset, record.hash);
            if (record.marks & Duplicated)
                duplicates.emplace_back(highWatermark + std::int64_t(duplicates.size()), record.hash);
            if (record.marks & Lost)
                continue;
            const bool overwritten = record.marks & Overwritten;
            leader.emplace_back(
                offset, overwritten ? brokerlab::check::recordHash("elsewhere", std::to_string(fresh++)) : record.hash);
        }
        leader.insert(leader.end(), duplicates.begin(), duplicates.end());
        Log diverged = follower;
        for (auto& [offset, hash] : diverged) {
            if (parts[p][static_cast<std::size_t>(offset)].marks & Diverged)
                hash = brokerlab::check::recordHash("diverged", std::to_string(fresh++));
        }
        const TopicPartition tp = topicPartition(p);
        // Odd partitions report their followers first: the history must hold them until the leader comes.
        if (p % 2 == 0)
            history.finalLog(tp, 1, true, leader, highWatermark, logStart);
        history.finalLog(tp, 2, false, diverged, highWatermark, logStart);
        history.finalLog(tp, 3, false, follower, highWatermark, logStart);
        if (p % 2 == 1)
            history.finalLog(tp, 1, true, leader, highWatermark, logStart);
    }

    Counts& counts = expected.counts;
    counts.lost = inject.lost + inject.overwritten;
    counts.duplicated = inject.duplicated;
    counts.inconsistent = inject.overwritten + inject.diverged;
    counts.reordered = inject.reordered;
    counts.failedButRead = inject.failedButRead;
    counts.pollSkip = inject.pollSkips;
    counts.nonMonotonicPoll = inject.rereads;
    // An overwritten offset disagrees with the ack, the read and every follower, yet is one offset.
    expected.inconsistentReplicas = inject.overwritten + inject.diverged;
    expected.inconsistentAcks = inject.overwritten;
    expected.inconsistentReads = inject.overwritten;
    return expected;
}

} // namespace historytest
