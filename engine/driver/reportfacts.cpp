// The report's measures for lessons: the order groups read in, reads past the high watermark, what
// compaction left, and each broker's log directory.

#include "cluster/logdir.h"
#include "driver/report.h"
#include "log/compactionfacts.h"

#include <filesystem>
#include <fstream>

namespace brokerlab::driver {

using scenario::JsonValue;

namespace {

const cluster::Broker* findBroker(const Engine& engine, std::int32_t id)
{
    for (const auto& broker : engine.cluster().brokers()) {
        if (broker->id() == id)
            return broker.get();
    }
    return nullptr;
}

// The partition's log: the leader's replica, or when offline the first replica that has one.
const cluster::Replica* partitionLog(
    const Engine& engine, const cluster::PartitionInfo& partition, const std::string& topic)
{
    std::vector<std::int32_t> candidates = partition.replicas;
    if (partition.leader >= 0)
        candidates.insert(candidates.begin(), partition.leader);
    for (std::int32_t id : candidates) {
        const cluster::Broker* broker = findBroker(engine, id);
        if (!broker)
            continue;
        if (const auto found = broker->replicas().find({ topic, partition.partition });
            found != broker->replicas().end())
            return found->second.get();
    }
    return nullptr;
}

} // namespace

void addReadFacts(const check::CheckResult& result, JsonValue& checker)
{
    checker.set("inconsistent_reads", result.inconsistentReads);
    checker.set("reads_past_high_watermark", result.readsPastHighWatermark);
    JsonValue groups = JsonValue::array();
    for (const check::ReadOrder& order : result.readOrder) {
        groups.push(JsonValue::object()
                        .set("group_id", order.groupId)
                        .set("records", order.records)
                        .set("out_of_production_order", order.outOfProductionOrder)
                        .set("out_of_key_order", order.outOfKeyOrder));
    }
    checker.set("read_order", std::move(groups));
}

JsonValue compactionReport(const Engine& engine, const std::string& topic, std::int32_t partition)
{
    const cluster::TopicInfo* info = engine.cluster().controller().image().topic(topic);
    if (!info || !info->config.log.cleanupCompact || partition < 0
        || partition >= static_cast<std::int32_t>(info->partitions.size()))
        return nullptr;
    const cluster::Replica* replica
        = partitionLog(engine, info->partitions[static_cast<std::size_t>(partition)], topic);
    if (!replica)
        return nullptr;
    const log::CompactionFacts facts = log::compactionFacts(replica->log());
    return JsonValue::object()
        .set("closed_segments", facts.closedSegments)
        .set("records", facts.records)
        .set("keys", facts.keys)
        .set("max_records_per_key", facts.maxRecordsPerKey)
        .set("tombstones", facts.tombstones)
        .set("active_records", facts.activeRecords)
        .set("active_tombstones", facts.activeTombstones);
}

JsonValue logDirReport(const Engine& engine, std::int32_t brokerId)
{
    JsonValue top = JsonValue::array();
    JsonValue directories = JsonValue::array();
    const cluster::Broker* broker = findBroker(engine, brokerId);
    if (!broker)
        return nullptr;
    std::string current;
    JsonValue files;
    const auto flush = [&] {
        if (!current.empty())
            directories.push(JsonValue::object().set("name", current).set("files", std::move(files)));
    };
    for (const cluster::LogDirFile& file : cluster::logDirectory(*broker, false)) {
        JsonValue entry = JsonValue::object().set("name", file.name).set("size", file.size);
        if (file.directory.empty()) {
            top.push(std::move(entry));
            continue;
        }
        if (file.directory != current) {
            flush();
            current = file.directory;
            files = JsonValue::array();
        }
        files.push(std::move(entry));
    }
    flush();
    return JsonValue::object().set("files", std::move(top)).set("directories", std::move(directories));
}

bool writeLogDirectories(const Engine& engine, const std::string& directory, std::string& error)
{
    namespace fs = std::filesystem;
    for (const auto& broker : engine.cluster().brokers()) {
        const fs::path root = fs::path(directory) / ("broker-" + std::to_string(broker->id()));
        for (const cluster::LogDirFile& file : cluster::logDirectory(*broker, true)) {
            const fs::path folder = file.directory.empty() ? root : root / file.directory;
            std::error_code code;
            fs::create_directories(folder, code);
            if (code) {
                error = "cannot create " + folder.string() + ": " + code.message();
                return false;
            }
            const fs::path path = folder / file.name;
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(
                reinterpret_cast<const char*>(file.bytes.data()), static_cast<std::streamsize>(file.bytes.size()));
            out.close();
            if (!out) {
                error = "cannot write " + path.string();
                return false;
            }
        }
    }
    return true;
}

} // namespace brokerlab::driver
