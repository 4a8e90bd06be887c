#pragma once
// JSON Lines back into records: the format exportTopic() and `brokerlab-cli run --dump-messages`
// write, one JSON object per line. The file is read whole and checked before anything is sent, so a
// bad line stops the import with its line number and leaves the topic as it was.
//
// A line's fields: value (required: a string, or null for a tombstone), key (string or null),
// key_encoding / value_encoding ("utf8" or "base64"; utf8 when absent), headers (an array of
// {"key": string, "value": string or null, "value_encoding": ...}), and topic, partition, offset,
// timestamp and committed, which describe where the record came from. Any other field is an error:
// a misspelt "vaule" should not import a topic full of nulls.

#include "log/record.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brokerlab::store {

struct ImportedRecord {
    std::string topic; // where it came from (empty when the line does not say)
    std::int32_t partition = -1; // -1: the line does not say
    std::int64_t timestamp = -1; // -1: the line does not say
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<log::RecordHeader> headers;
};

// One line parsed, or what is wrong with it (without the line number).
std::variant<ImportedRecord, std::string> parseJsonLine(std::string_view line);

struct ImportResult {
    std::vector<ImportedRecord> records; // empty when the file has an error
    std::int64_t lines = 0; // lines read (blank ones included)
    std::int64_t errorLine = 0; // 1-based; 0 when the file is good
    std::string error; // "line 7: ..." when errorLine > 0
    bool cancelled = false;
    bool ok() const { return errorLine == 0 && !cancelled; }
};

// Reads every line of `in`. `progress(bytesRead)` is called every few thousand lines; `stop`
// cancels (the result then holds nothing). A blank line is skipped; the first bad line ends the
// read with the error and no records.
ImportResult readJsonLines(std::istream& in, const std::function<void(std::int64_t bytesRead)>& progress = {},
    const std::atomic<bool>* stop = nullptr);

} // namespace brokerlab::store
