#include "driver/report.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>

namespace brokerlab::driver {

using scenario::JsonValue;

namespace {

JsonValue intArray(const std::vector<std::int32_t>& values)
{
    JsonValue array = JsonValue::array();
    for (std::int32_t value : values)
        array.push(value);
    return array;
}

void setBytesField(JsonValue& object, std::string_view name, const std::optional<std::string>& bytes)
{
    const std::string encodingKey = std::string(name) + "_encoding";
    if (!bytes) {
        object.set(name, nullptr);
        return;
    }
    if (isValidUtf8(*bytes)) {
        object.set(name, *bytes);
        object.set(encodingKey, "utf8");
    } else {
        object.set(name, base64Encode(*bytes));
        object.set(encodingKey, "base64");
    }
}

std::string formatCount(std::int64_t value)
{
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out.push_back(',');
        out.push_back(digits[i]);
    }
    return value < 0 ? "-" + out : out;
}

// The checker names its categories in camelCase; the report's keys are snake_case.
std::string snakeCase(std::string_view name)
{
    std::string out;
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') {
            out.push_back('_');
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        int extra;
        std::uint32_t codePoint;
        if (byte < 0x80) {
            ++i;
            continue;
        } else if ((byte & 0xE0) == 0xC0) {
            extra = 1;
            codePoint = byte & 0x1F;
        } else if ((byte & 0xF0) == 0xE0) {
            extra = 2;
            codePoint = byte & 0x0F;
        } else if ((byte & 0xF8) == 0xF0) {
            extra = 3;
            codePoint = byte & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(extra) >= text.size())
            return false; // truncated sequence
        for (int k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t minimum[] = { 0, 0x80, 0x800, 0x10000 };
        if (codePoint < minimum[extra] || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

std::string base64Encode(std::string_view bytes)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t chunk = (static_cast<std::uint8_t>(bytes[i]) << 16)
            | (static_cast<std::uint8_t>(bytes[i + 1]) << 8) | static_cast<std::uint8_t>(bytes[i + 2]);
        out.push_back(alphabet[(chunk >> 18) & 63]);
        out.push_back(alphabet[(chunk >> 12) & 63]);
        out.push_back(alphabet[(chunk >> 6) & 63]);
        out.push_back(alphabet[chunk & 63]);
    }
    if (i < bytes.size()) {
        std::uint32_t chunk = static_cast<std::uint8_t>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            chunk |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
        out.push_back(alphabet[(chunk >> 18) & 63]);
        out.push_back(alphabet[(chunk >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? alphabet[(chunk >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

std::optional<std::string> base64Decode(std::string_view text)
{
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt; // one character cannot carry a whole byte
    auto sextet = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t bits = 0;
    int held = 0;
    for (char c : text) {
        const int value = sextet(c);
        if (value < 0)
            return std::nullopt;
        bits = bits << 6 | static_cast<std::uint32_t>(value);
        held += 6;
        if (held >= 8) {
            held -= 8;
            out.push_back(static_cast<char>((bits >> held) & 0xFF));
        }
    }
    return out;
}

JsonValue buildReport(const Engine& engine, const Snapshot& snapshot, const RunInfo& run)
{
    std::int64_t produced = 0, acked = 0, failed = 0, consumed = 0;
    for (const auto& producer : snapshot.producers) {
        produced += producer.counters.produced;
        acked += producer.counters.acked;
        failed += producer.counters.failed;
    }
    for (const auto& consumer : snapshot.consumers)
        consumed += consumer.counters.consumed;

    JsonValue report = JsonValue::object();
    report.set("scenario", engine.scenario().name);
    report.set("seed", std::to_string(engine.seed()).size() > 15 ? JsonValue(std::to_string(engine.seed()))
                                                                  : JsonValue(engine.seed()));
    report.set("virtual_ms", snapshot.virtualUs / 1000);
    report.set("wall_ms", run.wallMs);
    report.set("trace_sha256", run.traceSha256);
    report.set("trace_events", run.traceEvents);
    report.set("events_run", snapshot.eventsRun);
    report.set("produced", produced);
    report.set("acked", acked);
    report.set("failed", failed);
    report.set("consumed", consumed);

    const cluster::ControllerCounters& controller = engine.cluster().controller().counters();
    report.set("elections", controller.elections);
    report.set("unclean_elections", controller.uncleanElections);
    report.set("isr_changes", controller.isrChanges);
    report.set("fencings", controller.fencings);
    const cluster::ControllerQuorum& quorum = engine.cluster().quorum();
    report.set("controllers", quorum.size());
    report.set("active_controller", quorum.activeIndex());
    report.set("controller_elections", quorum.counters().elections);
    if (run.checker) {
        const check::CheckResult& result = *run.checker;
        JsonValue checker = JsonValue::object()
                                .set("ok", result.ok())
                                .set("acked", result.acked)
                                .set("failed", result.failed)
                                .set("unknown", result.unknown)
                                .set("consumed", result.consumed)
                                .set("unchecked", result.unchecked);
        for (const auto& [name, category] : check::categories(result))
            checker.set(snakeCase(name), category->count);
        JsonValue examples = JsonValue::array();
        for (const auto& [name, category] : check::categories(result)) {
            for (const auto& example : category->examples) {
                JsonValue offsets = JsonValue::array();
                for (std::int64_t offset : example.offsets)
                    offsets.push(offset);
                examples.push(JsonValue::object()
                                  .set("category", snakeCase(name))
                                  .set("topic", example.topicPartition.topic)
                                  .set("partition", example.topicPartition.partition)
                                  .set("offsets", std::move(offsets))
                                  .set("actor", example.actor)
                                  .set("text", example.text));
            }
        }
        checker.set("examples", std::move(examples));
        JsonValue groups = JsonValue::array();
        for (const check::GroupDelivery& delivery : result.groups) {
            JsonValue groupExamples = JsonValue::array();
            for (const check::Category* category : { &delivery.duplicates, &delivery.missed }) {
                for (const auto& example : category->examples)
                    groupExamples.push(example.text);
            }
            groups.push(JsonValue::object()
                            .set("group_id", delivery.groupId)
                            .set("processed", delivery.processed)
                            .set("duplicates", delivery.duplicates.count)
                            .set("missed", delivery.missed.count)
                            .set("examples", std::move(groupExamples)));
        }
        checker.set("groups", std::move(groups));
        addReadFacts(result, checker);
        report.set("checker", std::move(checker));
    }

    JsonValue brokers = JsonValue::array();
    for (const auto& broker : snapshot.brokers) {
        brokers.push(JsonValue::object()
                         .set("id", broker.id)
                         .set("state", cluster::brokerStateName(broker.state))
                         .set("controller", broker.controller)
                         .set("leaders", broker.leaderCount)
                         .set("replicas", broker.replicaCount)
                         .set("stored_bytes", broker.storedBytes)
                         .set("records_in", broker.counters.recordsIn)
                         .set("bytes_in", broker.counters.bytesIn)
                         .set("bytes_out", broker.counters.bytesOut)
                         .set("truncated_records", broker.counters.truncatedRecords)
                         .set("truncated_by_leader_epoch", broker.counters.epochTruncatedRecords)
                         .set("log_dir", logDirReport(engine, broker.id)));
    }
    report.set("brokers", std::move(brokers));

    const auto offline = engine.cluster().controller().offlineMs();
    JsonValue topics = JsonValue::array();
    for (const auto& topic : snapshot.topics) {
        JsonValue partitions = JsonValue::array();
        for (const auto& partition : topic.partitions) {
            partitions.push(JsonValue::object()
                                .set("partition", partition.partition)
                                .set("leader", partition.leader)
                                .set("leader_epoch", partition.leaderEpoch)
                                .set("replicas", intArray(partition.replicaIds))
                                .set("isr", intArray(partition.isr))
                                .set("log_start_offset", partition.logStartOffset)
                                .set("log_end_offset", partition.logEndOffset)
                                .set("high_watermark", partition.highWatermark)
                                .set("offline_ms", [&] {
                                    auto it = offline.find(topic.name + "-" + std::to_string(partition.partition));
                                    return it == offline.end() ? std::int64_t(0) : it->second;
                                }()));
            if (JsonValue compaction = compactionReport(engine, topic.name, partition.partition); !compaction.isNull())
                partitions.items().back().set("compaction", std::move(compaction));
        }
        topics.push(JsonValue::object()
                        .set("name", topic.name)
                        .set("replication_factor", topic.replicationFactor)
                        .set("partitions", std::move(partitions)));
    }
    report.set("topics", std::move(topics));

    JsonValue producers = JsonValue::array();
    for (const auto& producer : snapshot.producers) {
        const auto& c = producer.counters;
        producers.push(JsonValue::object()
                           .set("client_id", producer.clientId)
                           .set("topic", producer.topic)
                           .set("acks", producer.acks)
                           .set("idempotent", producer.idempotent)
                           .set("produced", c.produced)
                           .set("acked", c.acked)
                           .set("failed", c.failed)
                           .set("retries", c.retries)
                           .set("requests", c.requests)
                           .set("batches", c.batches)
                           .set("bytes_sent", c.bytesSent)
                           .set("uncompressed_bytes", c.uncompressedBytes)
                           .set("records_per_batch",
                               c.batches > 0 ? static_cast<double>(c.acked + c.failed) / static_cast<double>(c.batches)
                                             : 0.0)
                           .set("avg_latency_ms",
                               c.acked > 0 ? static_cast<double>(c.latencySumUs) / static_cast<double>(c.acked) / 1000.0
                                           : 0.0)
                           .set("p50_latency_ms", c.acked > 0 ? c.latency.quantileUs(0.50) / 1000.0 : 0.0)
                           .set("p99_latency_ms", c.acked > 0 ? c.latency.quantileUs(0.99) / 1000.0 : 0.0)
                           .set("max_latency_ms", static_cast<double>(c.latencyMaxUs) / 1000.0));
    }
    report.set("producers", std::move(producers));

    JsonValue consumers = JsonValue::array();
    for (const auto& consumer : snapshot.consumers) {
        JsonValue positions = JsonValue::array();
        for (const auto& position : consumer.positions) {
            positions.push(JsonValue::object()
                               .set("topic", position.topicPartition.topic)
                               .set("partition", position.topicPartition.partition)
                               .set("position", position.position)
                               .set("high_watermark", position.highWatermark)
                               .set("lag", position.lag()));
        }
        consumers.push(JsonValue::object()
                           .set("client_id", consumer.clientId)
                           .set("group_id", consumer.groupId)
                           .set("consumed", consumer.counters.consumed)
                           .set("polls", consumer.counters.polls)
                           .set("fetch_requests", consumer.counters.fetchRequests)
                           .set("offset_resets", consumer.counters.offsetResets)
                           .set("deserialization_errors", consumer.counters.deserializationErrors)
                           .set("skipped", consumer.counters.skipped)
                           .set("stuck_ms", consumer.counters.stuckMs(snapshot.virtualUs))
                           .set("lag", consumer.totalLag())
                           .set("positions", std::move(positions)));
    }
    report.set("consumers", std::move(consumers));
    report.set("groups", groupsReport(snapshot));
    report.set("processors", processorsReport(engine));
    report.set("queues", queuesReport(engine));
    return report;
}

JsonValue groupsReport(const Snapshot& snapshot)
{
    JsonValue groups = JsonValue::array();
    for (const GroupSnapshot& group : snapshot.groups) {
        const cluster::GroupSummary& summary = group.summary;
        JsonValue members = JsonValue::array();
        for (const auto& member : summary.members) {
            JsonValue assignment = JsonValue::array();
            for (const auto& partition : member.assignment)
                assignment.push(partition.toString());
            JsonValue entry = JsonValue::object()
                                  .set("member_id", member.memberId)
                                  .set("client_id", member.clientId)
                                  .set("assignment", std::move(assignment));
            if (member.groupInstanceId)
                entry.set("group_instance_id", *member.groupInstanceId);
            if (summary.kip848)
                entry.set("member_epoch", member.memberEpoch);
            members.push(std::move(entry));
        }
        JsonValue offsets = JsonValue::array();
        for (const GroupPartitionLag& lag : group.lag) {
            offsets.push(JsonValue::object()
                             .set("topic", lag.topicPartition.topic)
                             .set("partition", lag.topicPartition.partition)
                             .set("committed", lag.committed)
                             .set("high_watermark", lag.highWatermark)
                             .set("lag", lag.lag)
                             .set("lag_ms", lag.lagMs));
        }
        groups.push(JsonValue::object()
                        .set("group_id", summary.groupId)
                        .set("state", std::string(cluster::groupStateName(summary.state)))
                        .set("generation", summary.generation)
                        .set("protocol", summary.kip848 ? std::string("consumer (KIP-848)") : summary.protocol)
                        .set("coordinator", summary.coordinator)
                        .set("members", std::move(members))
                        .set("committed_offsets", std::move(offsets))
                        .set("lag", group.totalLag())
                        .set("rebalances", summary.rebalances)
                        .set("rebalance_ms", summary.rebalanceMs)
                        .set("moved_partitions", summary.movedPartitions)
                        .set("moved_from_staying_members", summary.movedFromStayingMembers)
                        .set("rebalance_pause_ms", group.rebalancePauseMs));
    }
    return groups;
}

std::int64_t dumpMessages(Engine& engine, std::ostream& out)
{
    std::int64_t written = 0;
    const cluster::MetadataImage& image = engine.cluster().controller().image();
    std::string line;
    for (const auto& [name, topic] : image.topics) {
        if (topic.internal)
            continue; // __consumer_offsets holds the coordinator's records, not the run's messages
        for (const auto& partition : topic.partitions) {
            // The leader's log is the partition's log; an offline partition is read from its first
            // replica that still has one.
            const cluster::Replica* source = nullptr;
            std::vector<std::int32_t> candidates = partition.replicas;
            if (partition.leader >= 0)
                candidates.insert(candidates.begin(), partition.leader);
            for (std::int32_t id : candidates) {
                if (cluster::Broker* broker = engine.cluster().broker(id)) {
                    if ((source = broker->replica({ name, partition.partition })))
                        break;
                }
            }
            if (!source)
                continue;
            const log::PartitionLog& log = source->log();
            std::int64_t from = log.logStartOffset();
            const std::int64_t end = log.logEndOffset();
            while (from < end) {
                const auto records = log.readRecords(from, end, 4096);
                if (records.empty())
                    break;
                for (const auto& record : records) {
                    JsonValue entry = JsonValue::object()
                                          .set("topic", name)
                                          .set("partition", partition.partition)
                                          .set("offset", record.offset)
                                          .set("timestamp", record.timestamp);
                    setBytesField(entry, "key", record.key);
                    setBytesField(entry, "value", record.value);
                    JsonValue headers = JsonValue::array();
                    for (const auto& header : record.headers) {
                        JsonValue h = JsonValue::object().set("key", header.key);
                        setBytesField(h, "value", header.value);
                        headers.push(std::move(h));
                    }
                    entry.set("headers", std::move(headers));
                    entry.set("committed", record.offset < source->highWatermark());
                    line = scenario::toJson(entry);
                    line.push_back('\n');
                    out.write(line.data(), static_cast<std::streamsize>(line.size()));
                    ++written;
                }
                from = records.back().offset + 1;
            }
        }
    }
    return written;
}

void printSummary(const Engine& engine, const Snapshot& snapshot, const RunInfo& run, std::ostream& out)
{
    const double virtualSeconds = static_cast<double>(snapshot.virtualUs) / 1e6;
    out << "Brokerlab run: " << engine.scenario().name << " (seed " << engine.seed() << ")\n";
    out << "  simulated " << std::fixed << std::setprecision(1) << virtualSeconds << " s in " << run.wallMs
        << " ms of wall time, " << formatCount(static_cast<std::int64_t>(snapshot.eventsRun)) << " events\n";
    out << "  trace sha256 " << run.traceSha256 << "\n\n";

    out << "Brokers\n";
    for (const auto& broker : snapshot.brokers) {
        out << "  broker " << broker.id << "  " << std::left << std::setw(8) << cluster::brokerStateName(broker.state)
            << std::right << (broker.controller ? " controller" : "           ") << "  leads " << std::setw(3)
            << broker.leaderCount << " of " << std::setw(3) << broker.replicaCount << " replicas, stores "
            << formatCount(broker.storedBytes) << " bytes\n";
    }
    out << "\nTopics\n";
    for (const auto& topic : snapshot.topics) {
        std::int64_t records = 0;
        std::int32_t underReplicated = 0;
        for (const auto& partition : topic.partitions) {
            records += partition.highWatermark - partition.logStartOffset;
            if (partition.underReplicated())
                ++underReplicated;
        }
        out << "  " << topic.name << ": " << topic.partitions.size() << " partitions, RF " << topic.replicationFactor
            << ", " << formatCount(records) << " committed records in the logs";
        if (underReplicated > 0)
            out << ", " << underReplicated << " under-replicated";
        out << "\n";
        for (const auto& partition : topic.partitions) {
            out << "    p" << std::left << std::setw(3) << partition.partition << std::right << " leader "
                << partition.leader << "  replicas [";
            for (std::size_t i = 0; i < partition.replicaIds.size(); ++i)
                out << (i ? "," : "") << partition.replicaIds[i];
            out << "]  isr [";
            for (std::size_t i = 0; i < partition.isr.size(); ++i)
                out << (i ? "," : "") << partition.isr[i];
            out << "]  offsets " << partition.logStartOffset << ".." << partition.logEndOffset << "  HW "
                << partition.highWatermark << "\n";
        }
    }
    out << "\nProducers\n";
    for (const auto& producer : snapshot.producers) {
        const auto& c = producer.counters;
        out << "  " << producer.clientId << " -> " << producer.topic << ": produced " << formatCount(c.produced)
            << ", acked " << formatCount(c.acked) << ", failed " << formatCount(c.failed) << ", retries "
            << formatCount(c.retries);
        if (c.acked > 0) {
            out << ", avg latency " << std::setprecision(2)
                << static_cast<double>(c.latencySumUs) / static_cast<double>(c.acked) / 1000.0 << " ms";
        }
        out << "\n";
    }
    const cluster::ControllerCounters& controller = engine.cluster().controller().counters();
    out << "\nController\n  " << controller.elections << " leader election(s)";
    if (controller.uncleanElections > 0)
        out << " (" << controller.uncleanElections << " UNCLEAN)";
    out << ", " << controller.isrChanges << " ISR change(s), " << controller.fencings << " broker fencing(s)\n";
    const cluster::ControllerQuorum& quorum = engine.cluster().quorum();
    out << "  quorum of " << quorum.size() << " controller(s): "
        << (quorum.activeIndex() >= 0 ? "controller " + std::to_string(quorum.activeIndex()) + " active"
                                      : std::string("NO active controller"))
        << " in epoch " << quorum.epoch() << ", " << quorum.counters().elections << " controller election(s)\n";
    if (run.checker) {
        const check::CheckResult& result = *run.checker;
        out << "\nHistory check: " << (result.ok() ? "OK" : "ANOMALIES FOUND") << "\n";
        out << "  acked " << formatCount(result.acked) << ", lost " << formatCount(result.lost.count) << ", duplicated "
            << formatCount(result.duplicated.count) << ", inconsistent " << formatCount(result.inconsistent.count)
            << ", reordered " << formatCount(result.reordered.count) << "\n";
        for (const auto& [name, category] : check::categories(result)) {
            if (!category->examples.empty() && (name == "lost" || name == "duplicated" || name == "inconsistent"))
                out << "  e.g. " << category->examples.front().text << "\n";
        }
    }
    if (!snapshot.groups.empty())
        out << "\nConsumer groups\n";
    for (const GroupSnapshot& group : snapshot.groups) {
        out << "  " << group.summary.groupId << ": " << cluster::groupStateName(group.summary.state) << ", generation "
            << group.summary.generation << ", " << group.summary.members.size() << " member(s), coordinator broker "
            << group.summary.coordinator << ", " << group.summary.rebalances << " rebalance(s), lag "
            << formatCount(group.totalLag()) << " behind the committed offsets\n";
    }
    out << "\nConsumers\n";
    for (const auto& consumer : snapshot.consumers) {
        out << "  " << consumer.clientId;
        if (!consumer.groupId.empty())
            out << " (group " << consumer.groupId << ")";
        out << ": consumed " << formatCount(consumer.counters.consumed) << ", lag " << formatCount(consumer.totalLag())
            << " on " << consumer.positions.size() << " partition(s)\n";
    }
}

} // namespace brokerlab::driver
