#pragma once
// How a record's bytes read in the explorer: one-line previews for the table, and the detail
// pane's pretty text, JSON and hex. Bytes that are not UTF-8 are never shown as mojibake.

#include "log/record.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

namespace brokerlab::ui {

bool isUtf8(const std::string& bytes);
// One line, at most `maxChars` characters: text with newlines and tabs shown as ⏎ and ⇥, "(null)"
// for a null key or a tombstone, "0x…" hex for binary.
QString previewBytes(const std::optional<std::string>& bytes, int maxChars = 200);
// Record timestamps (ms since the epoch) as ISO 8601 UTC with milliseconds.
QString formatTimestamp(std::int64_t ms);
// "name=value, name=value".
QString headersSummary(const std::vector<log::RecordHeader>& headers);
// Indented JSON when the bytes are a JSON object or array, else the text as it is (or nothing for
// binary).
QString prettyText(const std::optional<std::string>& bytes);
// 16 bytes a line: offset, hex, ASCII.
QString hexDump(const std::optional<std::string>& bytes, std::int64_t maxBytes = 1 << 20);
// The record's size as Kafka counts it in a batch, roughly: key + value + headers.
std::int64_t recordBytes(const log::Record& record);

} // namespace brokerlab::ui
