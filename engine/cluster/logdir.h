#pragma once
// A broker's log directory (its log.dirs) as Kafka lays it out on disk: one <topic>-<partition>/
// directory per replica the broker holds, with each segment's <base offset>.log (the RecordBatch
// bytes), .index and .timeindex, plus leader-epoch-checkpoint and partition.metadata; and at the
// top meta.properties and the offset checkpoint files the broker writes periodically.

#include "cluster/broker.h"
#include "log/recordbatch.h"

#include <cstdint>
#include <string>
#include <vector>

namespace brokerlab::cluster {

struct LogDirFile {
    std::string directory; // "<topic>-<partition>", or empty for a file at the top of the log directory
    std::string name; // "00000000000000000000.log", "replication-offset-checkpoint", ...
    std::int64_t size = 0;
    log::Bytes bytes; // the contents, when asked for
};

// Top-level files first, then each replica's directory in (topic, partition) order. A pure function
// of the broker's replicas and logs, whatever state its process is in. Without `contents` only names
// and sizes are filled; with it, the files hold a copy of every log byte the broker stores.
std::vector<LogDirFile> logDirectory(const Broker& broker, bool contents);

} // namespace brokerlab::cluster
