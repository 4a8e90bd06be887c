#pragma once
// Internal to the workload generators: text formatting into caller-owned strings (so a warmed-up
// record allocates nothing), weighted choices, and per-entity traits derived from hashes.

#include "sim/rng.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brokerlab::client::workloadtext {

// ---- Text: everything appends to a caller-owned string, so a warmed-up record allocates nothing.

inline void appendInt(std::string& out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

inline void appendPadded(std::string& out, std::int64_t value, int width)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    const auto digits = static_cast<int>(result.ptr - buffer);
    if (value >= 0 && digits < width)
        out.append(static_cast<std::size_t>(width - digits), '0');
    out.append(buffer, result.ptr);
}

// scaled / 10^decimals, printed exactly. Money, coordinates and readings are carried as scaled
// integers so that no binary floating-point formatting decides the text: the same seed gives the
// same bytes on every platform, and 19.99 never turns into 19.990000000000002.
inline void appendFixed(std::string& out, std::int64_t scaled, int decimals)
{
    static constexpr std::array<std::uint64_t, 7> kPowers = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
    const std::uint64_t divisor = kPowers[static_cast<std::size_t>(decimals)];
    const std::uint64_t magnitude
        = scaled < 0 ? std::uint64_t { 0 } - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
    if (scaled < 0)
        out += '-';
    appendInt(out, static_cast<std::int64_t>(magnitude / divisor));
    out += '.';
    appendPadded(out, static_cast<std::int64_t>(magnitude % divisor), decimals);
}

inline void appendHex(std::string& out, std::uint64_t value, int digits)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        out += kDigits[(value >> shift) & 0xf];
}

// A JSON string literal. Only a user-chosen key prefix can bring quotes or control characters in,
// but one such prefix must not turn every value into invalid JSON.
inline void appendQuoted(std::string& out, std::string_view text)
{
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            appendHex(out, byte, 2);
        } else {
            out += c;
        }
    }
    out += '"';
}

inline void appendIsoTimestamp(std::string& out, std::int64_t timestampMs)
{
    using namespace std::chrono;
    const sys_time<milliseconds> time { milliseconds { timestampMs } };
    const sys_days day = floor<days>(time);
    const year_month_day date { day };
    const std::int64_t msOfDay = (time - day).count();
    appendPadded(out, static_cast<int>(date.year()), 4);
    out += '-';
    appendPadded(out, static_cast<unsigned>(date.month()), 2);
    out += '-';
    appendPadded(out, static_cast<unsigned>(date.day()), 2);
    out += 'T';
    appendPadded(out, msOfDay / 3600000, 2);
    out += ':';
    appendPadded(out, msOfDay / 60000 % 60, 2);
    out += ':';
    appendPadded(out, msOfDay / 1000 % 60, 2);
    out += '.';
    appendPadded(out, msOfDay % 1000, 3);
    out += 'Z';
}

inline std::int64_t scaled(double value, double factor)
{
    return std::llround(value * factor);
}

// ---- Choices.

template <typename T>
struct Weighted {
    T value;
    int weight;
};

template <typename T>
inline int totalWeight(std::span<const Weighted<T>> table)
{
    int total = 0;
    for (const auto& entry : table)
        total += entry.weight;
    return total;
}

template <typename T>
T pickAt(std::span<const Weighted<T>> table, std::int64_t roll)
{
    for (const auto& entry : table) {
        if (roll < entry.weight)
            return entry.value;
        roll -= entry.weight;
    }
    return table.back().value;
}

template <typename T>
T pick(sim::Rng& rng, std::span<const Weighted<T>> table)
{
    return pickAt(table, rng.uniformInt(0, totalWeight(table) - 1));
}

// Traits that belong to an entity (a customer's currency, a device's baseline) come from a hash
// of (seed, entity id), not from the stream: they stay the same every time the entity shows up,
// whatever order records are drawn in.
inline std::uint64_t mix64(std::uint64_t value)
{
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

inline std::uint64_t traitHash(std::uint64_t seed, std::int64_t entity, std::uint64_t salt)
{
    return mix64(seed ^ mix64(static_cast<std::uint64_t>(entity) * 0x100000001b3ULL + salt));
}

inline double unitFromHash(std::uint64_t hash)
{
    return static_cast<double>(hash >> 11) * 0x1.0p-53;
}

template <typename T>
T pickByHash(std::uint64_t hash, std::span<const Weighted<T>> table)
{
    return pickAt(table, static_cast<std::int64_t>(hash % static_cast<std::uint64_t>(totalWeight(table))));
}

} // namespace brokerlab::client::workloadtext
