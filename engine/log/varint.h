#pragma once
// Kafka's zigzag varints (ByteUtils.writeVarint / writeVarlong): the length prefixes and deltas of
// every record in a RecordBatch v2. Encoding is inline because the batch builder calls it several
// times per record; decoding is bounds-checked and never reads past the span.

#include "log/record.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace brokerlab::log::varint {

inline constexpr int kMaxVarintBytes = 5;
inline constexpr int kMaxVarlongBytes = 10;

constexpr std::uint32_t zigzag(std::int32_t value)
{
    return (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
}
constexpr std::uint64_t zigzag(std::int64_t value)
{
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}
constexpr std::int32_t unzigzag(std::uint32_t value)
{
    return static_cast<std::int32_t>(value >> 1) ^ -static_cast<std::int32_t>(value & 1);
}
constexpr std::int64_t unzigzag(std::uint64_t value)
{
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

constexpr int sizeOfUnsigned(std::uint64_t value) { return (std::bit_width(value | 1) + 6) / 7; }
constexpr int sizeOfVarint(std::int32_t value) { return sizeOfUnsigned(zigzag(value)); }
constexpr int sizeOfVarlong(std::int64_t value) { return sizeOfUnsigned(zigzag(value)); }

// Writes at `out` (which must have room for sizeOf… bytes) and returns the end of what it wrote.
inline std::uint8_t* writeUnsigned(std::uint64_t value, std::uint8_t* out)
{
    while (value >= 0x80) {
        *out++ = static_cast<std::uint8_t>(value | 0x80);
        value >>= 7;
    }
    *out++ = static_cast<std::uint8_t>(value);
    return out;
}
inline std::uint8_t* writeVarint(std::int32_t value, std::uint8_t* out) { return writeUnsigned(zigzag(value), out); }
inline std::uint8_t* writeVarlong(std::int64_t value, std::uint8_t* out) { return writeUnsigned(zigzag(value), out); }

void appendVarint(Bytes& out, std::int32_t value);
void appendVarlong(Bytes& out, std::int64_t value);

// Decodes at in[pos] and advances pos. Returns false, leaving pos and out untouched, when the bytes
// end inside the number or the encoding is longer than Kafka allows (5 bytes for a varint, 10 for
// a varlong, with no bits beyond the type's width).
bool readVarintSlow(std::span<const std::uint8_t> in, std::size_t& pos, std::int32_t& out);
bool readVarlongSlow(std::span<const std::uint8_t> in, std::size_t& pos, std::int64_t& out);

// Lengths and deltas in a batch nearly always fit one or two bytes: keep those cases loop-free.
[[gnu::always_inline]] inline bool readVarint(std::span<const std::uint8_t> in, std::size_t& pos, std::int32_t& out)
{
    if (pos < in.size()) {
        const std::uint32_t first = in[pos];
        if (first < 0x80) {
            out = unzigzag(first);
            pos += 1;
            return true;
        }
        if (pos + 1 < in.size() && in[pos + 1] < 0x80) {
            out = unzigzag((first & 0x7f) | static_cast<std::uint32_t>(in[pos + 1]) << 7);
            pos += 2;
            return true;
        }
    }
    return readVarintSlow(in, pos, out);
}

[[gnu::always_inline]] inline bool readVarlong(std::span<const std::uint8_t> in, std::size_t& pos, std::int64_t& out)
{
    if (pos < in.size()) {
        const std::uint64_t first = in[pos];
        if (first < 0x80) {
            out = unzigzag(first);
            pos += 1;
            return true;
        }
        if (pos + 1 < in.size() && in[pos + 1] < 0x80) {
            out = unzigzag((first & 0x7f) | static_cast<std::uint64_t>(in[pos + 1]) << 7);
            pos += 2;
            return true;
        }
    }
    return readVarlongSlow(in, pos, out);
}

} // namespace brokerlab::log::varint
