#include "check/recordhash.h"

#include "log/record.h"
#include "log/recordbatch.h"

#include <bit>
#include <cstring>

namespace brokerlab::check {

namespace {

// Odd multipliers with their bits spread evenly; any such pair works, these are fixed forever
// because recorded histories carry the hashes.
constexpr std::uint64_t kMulA = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t kMulB = 0x8f5c3e2b9d74a1c7ULL;
// Stands in for a length: no string_view is 2^64 - 1 bytes long, so null never looks like empty.
constexpr std::uint64_t kNullMarker = ~std::uint64_t(0);

std::uint64_t swapBytes(std::uint64_t word)
{
    std::uint64_t swapped = 0;
    for (int i = 0; i < 8; ++i)
        swapped |= ((word >> (8 * i)) & 0xff) << (8 * (7 - i));
    return swapped;
}

// Little-endian on every host: the bits must not depend on the machine that recorded the history.
std::uint64_t loadWord(const unsigned char* bytes)
{
    std::uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::big)
        word = swapBytes(word);
    return word;
}

std::uint64_t loadTail(const unsigned char* bytes, std::size_t count)
{
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < count; ++i)
        word |= std::uint64_t(bytes[i]) << (8 * i);
    return word;
}

std::uint64_t round(std::uint64_t lane, std::uint64_t word) { return std::rotl(lane + word * kMulB, 31) * kMulA; }

// Two lanes let long values hash at two words per multiply latency instead of one.
struct Hasher {
    std::uint64_t a = 0x243f6a8885a308d3ULL;
    std::uint64_t b = 0x13198a2e03707344ULL;

    void field(std::optional<std::string_view> bytes)
    {
        if (!bytes) {
            a = round(a, kNullMarker);
            return;
        }
        // The length goes in first, so the boundary between key and value is never ambiguous.
        a = round(a, bytes->size());
        auto p = reinterpret_cast<const unsigned char*>(bytes->data());
        std::size_t left = bytes->size();
        for (; left >= 16; p += 16, left -= 16) {
            a = round(a, loadWord(p));
            b = round(b, loadWord(p + 8));
        }
        if (left >= 8) {
            a = round(a, loadWord(p));
            p += 8;
            left -= 8;
        }
        if (left)
            b = round(b, loadTail(p, left));
    }

    std::uint64_t finish() const
    {
        std::uint64_t h = std::rotl(a, 17) ^ (b * kMulA);
        h ^= h >> 33;
        h *= kMulB;
        h ^= h >> 29;
        h *= kMulA;
        h ^= h >> 32;
        return h;
    }
};

std::optional<std::string_view> view(const std::optional<std::string>& bytes)
{
    return bytes ? std::optional<std::string_view>(*bytes) : std::nullopt;
}

} // namespace

std::uint64_t recordHash(std::optional<std::string_view> key, std::optional<std::string_view> value)
{
    Hasher hasher;
    hasher.field(key);
    hasher.field(value);
    return hasher.finish();
}

std::uint64_t recordHash(const log::Record& record) { return recordHash(view(record.key), view(record.value)); }

std::uint64_t recordHash(const log::RecordView& record)
{
    return recordHash(record.nullKey ? std::nullopt : std::optional(record.keyView()),
        record.nullValue ? std::nullopt : std::optional(record.valueView()));
}

} // namespace brokerlab::check
