#pragma once
// Helpers shared by the store tests: records, logs and a fresh workspace in a temporary folder.

#include "log/partitionlog.h"
#include "log/recordbatch.h"
#include "store/workspace.h"

#include <QTemporaryDir>
#include <QTest>

#include <span>
#include <string>
#include <vector>

namespace storetest {

using brokerlab::log::Record;
using brokerlab::log::RecordHeader;

inline Record record(std::int64_t offset, std::int64_t timestamp, std::optional<std::string> key,
    std::optional<std::string> value, std::vector<RecordHeader> headers = {})
{
    Record r;
    r.offset = offset;
    r.timestamp = timestamp;
    r.key = std::move(key);
    r.value = std::move(value);
    r.headers = std::move(headers);
    return r;
}

inline std::span<const std::uint8_t> bytesOf(const std::optional<std::string>& text)
{
    return text ? std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text->data()), text->size())
                : std::span<const std::uint8_t>();
}

// Appends the records as one batch on the leader, in `epoch`. Offsets come from the log.
inline void appendAsLeader(
    brokerlab::log::PartitionLog& log, std::int32_t epoch, const std::vector<Record>& records, std::int64_t nowMs)
{
    brokerlab::log::BatchBuilder::Options options;
    options.batchSizeLimit = INT32_MAX;
    brokerlab::log::BatchBuilder builder(options);
    for (const Record& r : records)
        builder.append(r.timestamp, bytesOf(r.key), !r.key, bytesOf(r.value), !r.value, r.headers);
    const auto batch = builder.build();
    const auto info = log.appendAsLeader(batch, epoch, nowMs);
    if (!info.ok())
        qFatal("append failed");
}

// A workspace created in a temporary folder; the folder goes when the test ends.
struct TempWorkspace {
    QTemporaryDir dir;
    std::string path = dir.filePath(QStringLiteral("test.blw")).toStdString();
    brokerlab::store::Workspace workspace { "test-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) };
    TempWorkspace() { workspace.create(path); }
};

inline std::int64_t ftsCount(const brokerlab::store::Workspace& workspace, const std::string& match)
{
    brokerlab::store::Statement count(workspace.handle(), "SELECT count(*) FROM records_fts WHERE records_fts MATCH ?");
    count.bindText(1, match);
    count.step();
    return count.integer(0);
}

} // namespace storetest
