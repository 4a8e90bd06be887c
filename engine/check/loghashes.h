#pragma once
// A replica's log as the history checker wants it: (offset, recordHash) of every record a consumer
// could read, for History::finalLog.

#include <cstdint>
#include <utility>
#include <vector>

namespace brokerlab::log {
class PartitionLog;
} // namespace brokerlab::log

namespace brokerlab::check {

// Records from the log start offset to the log end, in offset order. Control batches (transaction
// markers) are left out: they hold offsets but no record anyone produced or reads. A batch that no
// longer decodes is left out too, the way a fetch would fail on it.
std::vector<std::pair<std::int64_t, std::uint64_t>> logHashes(const log::PartitionLog& log);

} // namespace brokerlab::check
