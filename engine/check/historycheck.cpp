// check(): Jepsen's queue checker over a History, one partition at a time. Working one partition at a
// time keeps the temporary memory to that of the largest partition, and every anomaly Kafka can have is
// local to a partition: offsets, ordering and the high watermark are all per partition.

#include "check/history.h"
#include "check/recordhash.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <span>
#include <tuple>
#include <unordered_map>

namespace brokerlab::check {

namespace {

using LogImage = History::LogImage;

constexpr std::size_t kNotFound = std::numeric_limits<std::size_t>::max();

// Which records of the truth log carry a hash: an open-addressing table of 32-bit indexes into the
// log, so it costs 8 to 16 bytes per record and never copies the hashes. Inserting in offset order
// makes find() answer the lowest offset and lets the build notice every duplicate on the way.
class HashIndex {
public:
    HashIndex(const LogImage& log, std::vector<std::pair<std::uint32_t, std::uint32_t>>& copies) : log_(log)
    {
        int bits = 4;
        while ((std::size_t(1) << bits) < 2 * log.size())
            ++bits;
        shift_ = 64 - bits;
        slots_.assign(std::size_t(1) << bits, kEmpty);
        for (std::size_t i = 0; i < log.size(); ++i) {
            std::size_t slot = slotOf(log.hashAt(i));
            for (;; slot = (slot + 1) & (slots_.size() - 1)) {
                if (slots_[slot] == kEmpty) {
                    slots_[slot] = static_cast<std::uint32_t>(i);
                    break;
                }
                if (log.hashAt(slots_[slot]) == log.hashAt(i)) {
                    copies.emplace_back(slots_[slot], static_cast<std::uint32_t>(i));
                    break;
                }
            }
        }
    }

    // The log index of the first record with this hash, or kNotFound.
    std::size_t find(std::uint64_t hash) const
    {
        for (std::size_t slot = slotOf(hash);; slot = (slot + 1) & (slots_.size() - 1)) {
            if (slots_[slot] == kEmpty)
                return kNotFound;
            if (log_.hashAt(slots_[slot]) == hash)
                return slots_[slot];
        }
    }

private:
    static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
    // Fibonacci hashing: callers (tests, hand-made histories) may pass hashes that are not well mixed.
    std::size_t slotOf(std::uint64_t hash) const { return (hash * 0x9e3779b97f4a7c15ULL) >> shift_; }

    const LogImage& log_;
    std::vector<std::uint32_t> slots_;
    int shift_ = 60;
};

std::string formatted(const char* format, auto... args)
{
    const int length = std::snprintf(nullptr, 0, format, args...);
    std::string text(static_cast<std::size_t>(std::max(length, 0)), '\0');
    std::snprintf(text.data(), text.size() + 1, format, args...);
    return text;
}

// Record indexes grouped by partition, history order kept inside each group (a counting sort).
template <typename Event>
struct ByPartition {
    std::vector<std::size_t> starts;
    std::vector<std::uint32_t> indexes;

    ByPartition(const std::vector<Event>& events, std::size_t partitions)
        : starts(partitions + 1, 0)
        , indexes(events.size())
    {
        for (const Event& event : events)
            ++starts[event.partition + 1];
        for (std::size_t p = 0; p < partitions; ++p)
            starts[p + 1] += starts[p];
        std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
        for (std::size_t i = 0; i < events.size(); ++i)
            indexes[next[events[i].partition]++] = static_cast<std::uint32_t>(i);
    }
    std::span<const std::uint32_t> of(std::size_t partition) const
    {
        return std::span(indexes).subspan(starts[partition], starts[partition + 1] - starts[partition]);
    }
};

struct Groups {
    ByPartition<History::Acked> acked;
    ByPartition<History::Consumed> consumed;
    ByPartition<History::Sent> failed;
    ByPartition<History::Sent> unknown;
};

class PartitionCheck {
public:
    PartitionCheck(const History& history, std::size_t index, const Groups& groups, const CheckOptions& options,
        CheckResult& result, std::vector<std::int64_t>& lastRead)
        : history_(history)
        , partition_(history.partitions()[index])
        , p_(index)
        , groups_(groups)
        , options_(options)
        , result_(result)
        , lastRead_(lastRead)
        , name_(partition_.topicPartition.toString())
        , compacted_(options.compactedTopics.contains(partition_.topicPartition.topic))
        , nullKey_(keyHash(std::nullopt))
    {
        if (partition_.truth >= 0)
            truth_ = &partition_.replicas[static_cast<std::size_t>(partition_.truth)];
    }

    void run()
    {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> copies;
        LogImage empty;
        HashIndex index(truth_ ? truth_->log : empty, copies);
        index_ = &index;
        checkDuplicates(copies);
        checkReplicas();
        if (compacted_)
            collectKeyLatest();
        checkAcked();
        checkOrder();
        checkFailedAndUnknown();
        checkReads();
        countInconsistent();
    }

private:
    const std::string& actor(std::uint32_t index) const { return history_.actors()[index]; }
    const LogImage& log() const { return truth_->log; }

    bool wants(const Category& category) const { return category.examples.size() < options_.maxExamples; }
    template <typename MakeText>
    void note(Category& category, std::vector<std::int64_t> offsets, const std::string& who, MakeText makeText)
    {
        ++category.count;
        if (wants(category))
            category.examples.push_back({ partition_.topicPartition, std::move(offsets), who, makeText() });
    }
    // makeExample() returns {actor, text}; called only when the example is kept.
    template <typename MakeExample>
    void noteInconsistent(std::vector<std::int64_t>& slots, std::int64_t offset, MakeExample makeExample)
    {
        slots.push_back(offset);
        // Counted once per offset at the end; one example per offset too, whichever evidence came first.
        auto& examples = result_.inconsistent.examples;
        if (!wants(result_.inconsistent))
            return;
        for (const Example& example : examples) {
            if (example.topicPartition == partition_.topicPartition && example.offsets.front() == offset)
                return;
        }
        auto [who, text] = makeExample();
        examples.push_back({ partition_.topicPartition, { offset }, std::move(who), std::move(text) });
    }

    // Duplicates are found in the log, which does not say who sent them: one pass over the partition's
    // sends names the producers of the examples taken here (at most maxExamples of them).
    void nameSenders(std::size_t firstExample, std::vector<std::pair<std::uint64_t, std::size_t>> hashes)
    {
        auto& examples = result_.duplicated.examples;
        std::sort(hashes.begin(), hashes.end());
        const auto name = [&](std::uint64_t hash, std::uint32_t producer) {
            auto it = std::lower_bound(hashes.begin(), hashes.end(), std::pair(hash, std::size_t(0)));
            for (; it != hashes.end() && it->first == hash; ++it) {
                if (examples[firstExample + it->second].actor.empty())
                    examples[firstExample + it->second].actor = actor(producer);
            }
        };
        for (std::uint32_t i : groups_.acked.of(p_))
            name(history_.acked()[i].hash, history_.acked()[i].producer);
        for (std::uint32_t i : groups_.failed.of(p_))
            name(history_.failed()[i].hash, history_.failed()[i].producer);
        for (std::uint32_t i : groups_.unknown.of(p_))
            name(history_.unknown()[i].hash, history_.unknown()[i].producer);
    }

    void checkDuplicates(std::vector<std::pair<std::uint32_t, std::uint32_t>>& copies)
    {
        std::sort(copies.begin(), copies.end());
        const std::size_t firstExample = result_.duplicated.examples.size();
        std::vector<std::pair<std::uint64_t, std::size_t>> exampleHashes; // (hash, example - firstExample)
        for (std::size_t i = 0; i < copies.size();) {
            std::size_t end = i;
            while (end < copies.size() && copies[end].first == copies[i].first)
                ++end;
            std::vector<std::int64_t> offsets { log().offsetAt(copies[i].first) };
            for (std::size_t j = i; j < end && offsets.size() < 8; ++j)
                offsets.push_back(log().offsetAt(copies[j].second));
            const std::size_t count = end - i + 1;
            if (wants(result_.duplicated))
                exampleHashes.emplace_back(log().hashAt(copies[i].first), exampleHashes.size());
            note(result_.duplicated, offsets, std::string(), [&] {
                return formatted("One record is at %zu offsets of %s: %" PRId64 " and %" PRId64 "%s.", count,
                    name_.c_str(), offsets[0], offsets[1], count > 2 ? " and more" : "");
            });
            i = end;
        }
        if (!exampleHashes.empty())
            nameSenders(firstExample, std::move(exampleHashes));
    }

    void checkReplicas()
    {
        if (!truth_)
            return;
        std::vector<History::Divergence> divergences = partition_.divergences;
        // Without a leader nothing was compared while recording: the first replica is the truth now.
        if (!partition_.hasLeader) {
            for (std::size_t pending : partition_.pending) {
                if (pending == static_cast<std::size_t>(partition_.truth))
                    continue;
                const History::Replica& replica = partition_.replicas[pending];
                auto found = compareReplica(log(), truth_->highWatermark, replica.log, replica.broker);
                divergences.insert(divergences.end(), found.begin(), found.end());
            }
        }
        for (const History::Divergence& divergence : divergences) {
            noteInconsistent(replicaSlots_, divergence.offset, [&] {
                return std::pair(formatted("broker %d", divergence.broker),
                    formatted("Broker %d's replica of %s holds a different record at offset %" PRId64
                              " from %s broker %d, below the high watermark %" PRId64 ".",
                        divergence.broker, name_.c_str(), divergence.offset,
                        partition_.hasLeader ? "leader" : "leaderless stand-in", truth_->broker,
                        truth_->highWatermark));
            });
        }
    }

    // Compaction keeps the latest record per key, so an acknowledged record is legitimately gone when its
    // key has a later record. Keys are known only for records someone acknowledged or read.
    void collectKeyLatest()
    {
        const auto raise = [this](std::uint64_t key, std::int64_t offset) {
            auto [it, inserted] = keyLatest_.try_emplace(key, offset);
            if (!inserted)
                it->second = std::max(it->second, offset);
        };
        const auto known = [&](std::uint64_t hash, std::uint64_t key) {
            if (key == nullKey_ || !truth_)
                return;
            if (const std::size_t at = index_->find(hash); at != kNotFound)
                raise(key, log().offsetAt(at));
        };
        for (std::uint32_t i : groups_.acked.of(p_)) {
            const History::Acked& acked = history_.acked()[i];
            known(acked.hash, acked.keyHash);
            // A tombstone is dropped in turn after delete.retention.ms, yet what it deleted stays deleted.
            if (acked.keyHash != nullKey_ && acked.hash == acked.keyHash && acked.offset >= 0)
                raise(acked.keyHash, acked.offset);
        }
        for (std::uint32_t i : groups_.consumed.of(p_))
            known(history_.consumedRecords()[i].hash, history_.consumedRecords()[i].keyHash);
    }

    // Also gathers what checkOrder() needs, so the partition's acks (scattered through the history) are
    // read from memory once.
    void checkAcked()
    {
        const auto ackedHere = groups_.acked.of(p_);
        sends_.reserve(ackedHere.size());
        for (std::uint32_t i : ackedHere) {
            const History::Acked& acked = history_.acked()[i];
            ++result_.acked;
            if (acked.offset >= 0)
                sends_.push_back({ acked.keyHash, acked.sendOrder, acked.offset, acked.producer, i });
            if (!truth_) {
                ++result_.unchecked;
                continue;
            }
            const std::optional<std::uint64_t> atAck = acked.offset >= 0 ? log().find(acked.offset) : std::nullopt;
            if (atAck && *atAck == acked.hash)
                continue;
            if (atAck) {
                noteInconsistent(ackSlots_, acked.offset, [&] {
                    return std::pair(actor(acked.producer),
                        formatted("%s was acknowledged offset %" PRId64 " of %s, but the final log holds another "
                                  "record there.",
                            actor(acked.producer).c_str(), acked.offset, name_.c_str()));
                });
            }
            if (index_->find(acked.hash) != kNotFound)
                continue;
            const std::int64_t logStart = truth_->logStartOffset;
            if (acked.offset >= 0 && acked.offset < logStart) {
                note(result_.expired, { acked.offset }, actor(acked.producer), [&] {
                    return formatted("%s's record at offset %" PRId64 " of %s is below the log start offset %" PRId64
                                     ": retention or DeleteRecords removed it.",
                        actor(acked.producer).c_str(), acked.offset, name_.c_str(), logStart);
                });
                continue;
            }
            if (compacted_ && acked.keyHash != nullKey_ && acked.offset >= 0) {
                const bool tombstone = acked.hash == acked.keyHash;
                const auto latest = keyLatest_.find(acked.keyHash);
                if (tombstone || (latest != keyLatest_.end() && latest->second > acked.offset)) {
                    std::vector<std::int64_t> offsets { acked.offset };
                    if (!tombstone)
                        offsets.push_back(latest->second);
                    note(result_.superseded, offsets, actor(acked.producer), [&] {
                        return tombstone ? formatted("%s's tombstone at offset %" PRId64 " of %s is gone: compaction "
                                                     "drops tombstones after delete.retention.ms.",
                                   actor(acked.producer).c_str(), acked.offset, name_.c_str())
                                         : formatted("%s's record at offset %" PRId64 " of %s was compacted away: its "
                                                     "key has a later record at offset %" PRId64 ".",
                                             actor(acked.producer).c_str(), acked.offset, name_.c_str(), offsets[1]);
                    });
                    continue;
                }
            }
            note(result_.lost, { acked.offset }, actor(acked.producer), [&] {
                return formatted("%s's record acknowledged at offset %" PRId64 " of %s is missing from the final log "
                                 "(log start %" PRId64 ", high watermark %" PRId64 ").",
                    actor(acked.producer).c_str(), acked.offset, name_.c_str(), logStart, truth_->highWatermark);
            });
        }
    }

    // Per producer and key, offsets must grow in send order. Acks carry the broker's offsets, so a record
    // that is lost still testifies to where it was put.
    void checkOrder()
    {
        std::vector<Send>& sent = sends_;
        std::sort(sent.begin(), sent.end(), [](const Send& a, const Send& b) {
            return std::tie(a.producer, a.key, a.sendOrder, a.index)
                < std::tie(b.producer, b.key, b.sendOrder, b.index);
        });
        for (std::size_t groupStart = 0; groupStart < sent.size();) {
            std::size_t groupEnd = groupStart;
            while (groupEnd < sent.size() && sent[groupEnd].producer == sent[groupStart].producer
                && sent[groupEnd].key == sent[groupStart].key)
                ++groupEnd;
            // The highest offset among records sent strictly before the current send number.
            std::int64_t highest = std::numeric_limits<std::int64_t>::min();
            std::size_t highestAt = groupStart;
            for (std::size_t run = groupStart; run < groupEnd;) {
                std::size_t runEnd = run;
                while (runEnd < groupEnd && sent[runEnd].sendOrder == sent[run].sendOrder)
                    ++runEnd;
                for (std::size_t j = run; j < runEnd; ++j) {
                    const Send& later = sent[j];
                    if (later.offset >= highest)
                        continue;
                    const Send& earlier = sent[highestAt];
                    note(result_.reordered, { later.offset, earlier.offset }, actor(later.producer), [&] {
                        return formatted("%s sent record #%" PRId64 " after #%" PRId64
                                         " with the same key, yet #%" PRId64 " is at offset %" PRId64
                                         " of %s, below #%" PRId64 " at offset %" PRId64 ".",
                            actor(later.producer).c_str(), later.sendOrder, earlier.sendOrder, later.sendOrder,
                            later.offset, name_.c_str(), earlier.sendOrder, earlier.offset);
                    });
                }
                for (std::size_t j = run; j < runEnd; ++j) {
                    if (sent[j].offset > highest) {
                        highest = sent[j].offset;
                        highestAt = j;
                    }
                }
                run = runEnd;
            }
            groupStart = groupEnd;
        }
        sends_ = {};
    }

    void checkFailedAndUnknown()
    {
        const auto failedHere = groups_.failed.of(p_);
        result_.failed += static_cast<std::int64_t>(failedHere.size());
        for (std::uint32_t i : groups_.unknown.of(p_)) {
            ++result_.unknown;
            if (truth_ && index_->find(history_.unknown()[i].hash) != kNotFound)
                ++result_.unknownWritten;
        }
        if (failedHere.empty())
            return;
        // The first read of each failed record, found in one pass over the partition's reads.
        std::vector<std::pair<std::uint64_t, std::uint32_t>> firstRead; // (hash, consumed index)
        for (std::uint32_t i : failedHere)
            firstRead.emplace_back(history_.failed()[i].hash, std::numeric_limits<std::uint32_t>::max());
        std::sort(firstRead.begin(), firstRead.end());
        for (std::uint32_t c : groups_.consumed.of(p_)) {
            const std::uint64_t hash = history_.consumedRecords()[c].hash;
            auto it = std::lower_bound(firstRead.begin(), firstRead.end(), std::pair(hash, std::uint32_t(0)));
            for (; it != firstRead.end() && it->first == hash; ++it)
                it->second = std::min(it->second, c);
        }
        for (std::uint32_t i : failedHere) {
            const History::Sent& failed = history_.failed()[i];
            const std::size_t inLog = truth_ ? index_->find(failed.hash) : kNotFound;
            const auto read = std::lower_bound(firstRead.begin(), firstRead.end(), std::pair(failed.hash, 0u));
            const bool wasRead = read->second != std::numeric_limits<std::uint32_t>::max();
            if (inLog == kNotFound && !wasRead)
                continue;
            const std::string& producer = actor(failed.producer);
            if (inLog != kNotFound) {
                const std::int64_t offset = log().offsetAt(inLog);
                note(result_.failedButRead, { offset }, producer, [&] {
                    return formatted("%s's send to %s failed for good, yet the final log holds the record at offset "
                                     "%" PRId64 ".",
                        producer.c_str(), name_.c_str(), offset);
                });
            } else {
                const History::Consumed& consumed = history_.consumedRecords()[read->second];
                note(result_.failedButRead, { consumed.offset }, producer, [&] {
                    return formatted("%s's send to %s failed for good, yet %s read the record at offset %" PRId64 ".",
                        producer.c_str(), name_.c_str(), actor(consumed.consumer).c_str(), consumed.offset);
                });
            }
        }
    }

    void checkReads()
    {
        constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
        std::vector<std::uint32_t> touched;
        for (std::uint32_t i : groups_.consumed.of(p_)) {
            const History::Consumed& read = history_.consumedRecords()[i];
            ++result_.consumed;
            const std::string& consumer = actor(read.consumer);
            if (truth_) {
                if (read.offset >= truth_->highWatermark)
                    ++result_.readsPastHighWatermark;
                // Only where the offset still exists: retention and compaction remove what consumers read.
                if (const auto atRead = log().find(read.offset); atRead && *atRead != read.hash) {
                    noteInconsistent(readSlots_, read.offset, [&] {
                        return std::pair(consumer,
                            formatted("%s read offset %" PRId64 " of %s, but the final log holds another record "
                                      "there.",
                                consumer.c_str(), read.offset, name_.c_str()));
                    });
                }
            }
            std::int64_t& last = lastRead_[read.consumer];
            if (last == kNone) {
                touched.push_back(read.consumer);
            } else if (read.offset <= last) {
                note(result_.nonMonotonicPoll, { read.offset, last }, consumer, [&] {
                    return formatted("%s read offset %" PRId64 " of %s after offset %" PRId64 ".", consumer.c_str(),
                        read.offset, name_.c_str(), last);
                });
            } else if (read.offset > last + 1 && truth_) {
                // Gaps the log never had (compaction, transaction markers) are not skips.
                const std::size_t skipped = log().lowerBound(read.offset) - log().lowerBound(last + 1);
                if (skipped > 0) {
                    note(result_.pollSkip, { read.offset, last }, consumer, [&] {
                        return formatted("%s read offset %" PRId64 " of %s right after %" PRId64
                                         ", skipping %zu records the final log holds.",
                            consumer.c_str(), read.offset, name_.c_str(), last, skipped);
                    });
                }
            }
            last = read.offset;
        }
        for (std::uint32_t consumer : touched)
            lastRead_[consumer] = kNone;
    }

    void countInconsistent()
    {
        const auto distinct = [](std::vector<std::int64_t>& offsets) {
            std::sort(offsets.begin(), offsets.end());
            offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
            return static_cast<std::int64_t>(offsets.size());
        };
        result_.inconsistentReplicas += distinct(replicaSlots_);
        result_.inconsistentAcks += distinct(ackSlots_);
        result_.inconsistentReads += distinct(readSlots_);
        std::vector<std::int64_t> all;
        all.reserve(replicaSlots_.size() + ackSlots_.size() + readSlots_.size());
        all.insert(all.end(), replicaSlots_.begin(), replicaSlots_.end());
        all.insert(all.end(), ackSlots_.begin(), ackSlots_.end());
        all.insert(all.end(), readSlots_.begin(), readSlots_.end());
        result_.inconsistent.count += distinct(all);
    }

    const History& history_;
    const History::Partition& partition_;
    const std::size_t p_;
    const HashIndex* index_ = nullptr;
    const Groups& groups_;
    const CheckOptions& options_;
    CheckResult& result_;
    std::vector<std::int64_t>& lastRead_; // per consumer, the previous offset read here
    const History::Replica* truth_ = nullptr;
    std::string name_;
    bool compacted_ = false;
    std::uint64_t nullKey_; // keyHash(std::nullopt)
    std::unordered_map<std::uint64_t, std::int64_t> keyLatest_; // looked up only, never iterated
    struct Send {
        std::uint64_t key;
        std::int64_t sendOrder;
        std::int64_t offset;
        std::uint32_t producer;
        std::uint32_t index; // into History::acked(): ties sort the same way on every run
    };
    std::vector<Send> sends_; // acknowledged records with an offset, from checkAcked() to checkOrder()
    std::vector<std::int64_t> replicaSlots_;
    std::vector<std::int64_t> ackSlots_;
    std::vector<std::int64_t> readSlots_;
};

} // namespace

std::array<NamedCategory, 9> categories(const CheckResult& result)
{
    return { { { "lost", &result.lost }, { "duplicated", &result.duplicated }, { "inconsistent", &result.inconsistent },
        { "reordered", &result.reordered }, { "expired", &result.expired }, { "superseded", &result.superseded },
        { "failedButRead", &result.failedButRead }, { "pollSkip", &result.pollSkip },
        { "nonMonotonicPoll", &result.nonMonotonicPoll } } };
}

std::string describe(const CheckResult& result)
{
    std::string text = "History check: ";
    if (result.ok()) {
        text += "ok\n";
    } else {
        std::string failures;
        for (const NamedCategory& named : categories(result)) {
            const bool fatal = named.category == &result.lost || named.category == &result.duplicated
                || named.category == &result.inconsistent || named.category == &result.reordered;
            if (fatal && named.category->count > 0) {
                failures += failures.empty() ? "" : ", ";
                failures += formatted("%" PRId64 " %s", named.category->count, std::string(named.name).c_str());
            }
        }
        text += "FAILED (" + failures + ")\n";
    }
    text += formatted("Sends: %" PRId64 " acknowledged, %" PRId64 " failed, %" PRId64 " of unknown fate (%" PRId64
                      " written); %" PRId64 " records consumed.\n",
        result.acked, result.failed, result.unknown, result.unknownWritten, result.consumed);
    text += formatted("Anomalies: lost %" PRId64 ", duplicated %" PRId64 ", inconsistent %" PRId64 " (replicas %" PRId64
                      ", reads %" PRId64 ", acks %" PRId64 "), reordered %" PRId64 ".\n",
        result.lost.count, result.duplicated.count, result.inconsistent.count, result.inconsistentReplicas,
        result.inconsistentReads, result.inconsistentAcks, result.reordered.count);
    text += formatted("Also: expired %" PRId64 ", superseded %" PRId64 ", failed but read %" PRId64
                      ", poll skips %" PRId64 ", non-monotonic polls %" PRId64 ".\n",
        result.expired.count, result.superseded.count, result.failedButRead.count, result.pollSkip.count,
        result.nonMonotonicPoll.count);
    if (result.unchecked > 0) {
        text += formatted(
            "Unchecked: %" PRId64 " acknowledged records of partitions without a final log.\n", result.unchecked);
    }
    for (const GroupDelivery& delivery : result.groups) {
        text += formatted("Group '%s': %" PRId64 " records processed, %" PRId64 " processed again, %" PRId64
                          " committed past but never processed.\n",
            delivery.groupId.c_str(), delivery.processed, delivery.duplicates.count, delivery.missed.count);
    }
    // Expired and superseded records are Kafka working as configured: no examples for them.
    for (const NamedCategory& named : categories(result)) {
        if (named.category == &result.expired || named.category == &result.superseded)
            continue;
        const std::size_t shown = std::min<std::size_t>(named.category->examples.size(), 3);
        for (std::size_t i = 0; i < shown; ++i)
            text += "  " + std::string(named.name) + ": " + named.category->examples[i].text + "\n";
    }
    return text;
}

CheckResult check(const History& history, const CheckOptions& options)
{
    CheckResult result;
    const std::size_t partitions = history.partitions().size();
    const Groups groups { { history.acked(), partitions }, { history.consumedRecords(), partitions },
        { history.failed(), partitions }, { history.unknown(), partitions } };
    std::vector<std::int64_t> lastRead(history.actors().size(), std::numeric_limits<std::int64_t>::min());
    for (std::size_t p = 0; p < partitions; ++p)
        PartitionCheck(history, p, groups, options, result, lastRead).run();
    checkGroupDelivery(history, options, result);
    checkReadOrder(history, options, result);
    return result;
}

} // namespace brokerlab::check
