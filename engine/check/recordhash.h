#pragma once
// A record's identity for the history checker: 64 bits over its key and value bytes. The workloads
// make every value unique, so two records with one hash are one record written twice.
//
// The hash is part of recorded histories and test expectations: it must give the same bits on every
// platform and compiler, and must never change silently (test_recordhash pins known values).

#include <cstdint>
#include <optional>
#include <string_view>

namespace brokerlab::log {
struct Record;
struct RecordView;
} // namespace brokerlab::log

namespace brokerlab::check {

// A null key (or a null value, a tombstone) hashes differently from an empty one.
std::uint64_t recordHash(std::optional<std::string_view> key, std::optional<std::string_view> value);
std::uint64_t recordHash(const log::Record& record);
std::uint64_t recordHash(const log::RecordView& record);

// The digest the checker groups a key by. It is the hash of that key's tombstone, which is how the
// checker tells tombstones apart without keeping value bytes.
inline std::uint64_t keyHash(std::optional<std::string_view> key) { return recordHash(key, std::nullopt); }

} // namespace brokerlab::check
