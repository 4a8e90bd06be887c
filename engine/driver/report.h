#pragma once
// What a headless run writes: the JSON run report, the message dump and the readable summary.

#include "check/history.h"
#include "driver/engine.h"
#include "scenario/json.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace brokerlab::driver {

struct RunInfo {
    std::int64_t wallMs = 0;
    std::string traceSha256;
    std::uint64_t traceEvents = 0;
    std::optional<check::CheckResult> checker; // when the run recorded its history
};

// The run report (docs/cli.md lists every field).
scenario::JsonValue buildReport(const Engine& engine, const Snapshot& snapshot, const RunInfo& run);
// The report's processors[] (records in, filtered, out per output topic) and queues[] (enqueued,
// delivered, acked, redelivered, available), in scenario order (reportprocessors.cpp).
scenario::JsonValue processorsReport(const Engine& engine);
scenario::JsonValue queuesReport(const Engine& engine);
// The report's groups[]: each consumer group with its members, committed offsets and lag.
scenario::JsonValue groupsReport(const Snapshot& snapshot);

// One JSON line per record in the final logs (the leader's replica of each partition):
// topic, partition, offset, timestamp, key, value, headers, committed; keys and values as text
// where they are valid UTF-8, else base64, with key_encoding / value_encoding saying which.
// Returns the number of records written.
std::int64_t dumpMessages(Engine& engine, std::ostream& out);

// Measures the lessons assert on (reportfacts.cpp). checker.read_order[], inconsistent_reads and
// reads_past_high_watermark:
void addReadFacts(const check::CheckResult& result, scenario::JsonValue& checker);
// topics[].partitions[].compaction, for a partition of a compacted topic (else null): what the log
// cleaner left in the leader's log.
scenario::JsonValue compactionReport(const Engine& engine, const std::string& topic, std::int32_t partition);
// brokers[].log_dir: the broker's log directory as Kafka lays it out, names and sizes.
scenario::JsonValue logDirReport(const Engine& engine, std::int32_t broker);
// Writes every broker's log directory under `directory`/broker-<id>/ (created as needed): the files
// of logDirReport with their contents. False, with `error` set, when a file cannot be written.
bool writeLogDirectories(const Engine& engine, const std::string& directory, std::string& error);

void printSummary(const Engine& engine, const Snapshot& snapshot, const RunInfo& run, std::ostream& out);

bool isValidUtf8(std::string_view text);
std::string base64Encode(std::string_view bytes);
// RFC 4648 base64 (the alphabet base64Encode writes, padding optional); nothing when `text` is not base64.
std::optional<std::string> base64Decode(std::string_view text);

} // namespace brokerlab::driver
