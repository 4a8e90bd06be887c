#pragma once
// Records out of the store as JSON Lines or CSV. One JSON line has the fields of
// `brokerlab-cli run --dump-messages`; a CSV row has the same fields, one per column.

#include "store/storetypes.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace brokerlab::store {

class Workspace;

enum class ExportFormat { JsonLines, Csv };

std::string jsonLine(const StoredRecord& record); // no trailing newline
std::string csvHeaderRow(); // with "\r\n", as RFC 4180 has it
std::string csvRow(const StoredRecord& record); // with "\r\n"

// Every record of `topic`, partition by partition, offset order. `progress(done, total)` is
// called every few thousand records. Returns the records written; stops early (and returns what
// it wrote) when `stop` becomes true. Throws StoreError for an unknown topic.
std::int64_t exportTopic(const Workspace& workspace, const std::string& topic, ExportFormat format, std::ostream& out,
    const std::function<void(std::int64_t done, std::int64_t total)>& progress = {},
    const std::atomic<bool>* stop = nullptr);

} // namespace brokerlab::store
