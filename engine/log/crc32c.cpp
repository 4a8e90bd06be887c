#include "log/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define BROKERLAB_CRC32C_X86 1
#endif

namespace brokerlab::log {

namespace {

constexpr std::uint32_t kCastagnoliReflected = 0x82F63B78u;

// Slicing-by-8: table k advances a byte that sits k bytes before the end of an 8-byte word.
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables makeTables()
{
    Tables tables {};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ kCastagnoliReflected : crc >> 1;
        tables[0][i] = crc;
    }
    for (std::size_t k = 1; k < 8; ++k) {
        for (std::size_t i = 0; i < 256; ++i)
            tables[k][i] = (tables[k - 1][i] >> 8) ^ tables[0][tables[k - 1][i] & 0xff];
    }
    return tables;
}

constexpr Tables kTables = makeTables();

inline std::uint32_t loadLittle32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

// `state` is the running register (already inverted), as in every CRC-32C implementation.
std::uint32_t updatePortable(std::uint32_t state, const std::uint8_t* p, std::size_t n)
{
    while (n >= 8) {
        const std::uint32_t low = state ^ loadLittle32(p);
        const std::uint32_t high = loadLittle32(p + 4);
        state = kTables[7][low & 0xff] ^ kTables[6][(low >> 8) & 0xff] ^ kTables[5][(low >> 16) & 0xff]
            ^ kTables[4][low >> 24] ^ kTables[3][high & 0xff] ^ kTables[2][(high >> 8) & 0xff]
            ^ kTables[1][(high >> 16) & 0xff] ^ kTables[0][high >> 24];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        state = (state >> 8) ^ kTables[0][(state ^ *p++) & 0xff];
    return state;
}

#if BROKERLAB_CRC32C_X86
// The crc32 instruction has a latency of three cycles but a throughput of one: three independent
// streams keep it busy. Their results are joined with "shift by n zero bytes" operators, which are
// linear in the 32-bit register and so reduce to four table lookups.
constexpr std::size_t kLongBlock = 2048;
constexpr std::size_t kShortBlock = 256;

struct ShiftTable {
    std::array<std::array<std::uint32_t, 256>, 4> byByte {};

    std::uint32_t apply(std::uint32_t state) const
    {
        return byByte[0][state & 0xff] ^ byByte[1][(state >> 8) & 0xff] ^ byByte[2][(state >> 16) & 0xff]
            ^ byByte[3][state >> 24];
    }
};

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t feedZeros(std::uint32_t state, std::size_t bytes)
{
    std::uint64_t wide = state;
    for (std::size_t i = 0; i < bytes; i += 8)
        wide = _mm_crc32_u64(wide, 0);
    return static_cast<std::uint32_t>(wide);
}

ShiftTable makeShiftTable(std::size_t bytes)
{
    std::array<std::uint32_t, 32> perBit {};
    for (int bit = 0; bit < 32; ++bit)
        perBit[bit] = feedZeros(1u << bit, bytes);
    ShiftTable table;
    for (int k = 0; k < 4; ++k) {
        for (std::uint32_t value = 0; value < 256; ++value) {
            std::uint32_t shifted = 0;
            for (int bit = 0; bit < 8; ++bit) {
                if (value & (1u << bit))
                    shifted ^= perBit[8 * k + bit];
            }
            table.byByte[k][value] = shifted;
        }
    }
    return table;
}

template <std::size_t Block>
__attribute__((target("sse4.2"))) std::uint32_t threeStreams(
    std::uint32_t state, const std::uint8_t*& p, std::size_t& n, const ShiftTable& shift)
{
    while (n >= 3 * Block) {
        std::uint64_t first = state;
        std::uint64_t second = 0;
        std::uint64_t third = 0;
        for (std::size_t i = 0; i < Block; i += 8) {
            std::uint64_t a;
            std::uint64_t b;
            std::uint64_t c;
            std::memcpy(&a, p + i, 8);
            std::memcpy(&b, p + Block + i, 8);
            std::memcpy(&c, p + 2 * Block + i, 8);
            first = _mm_crc32_u64(first, a);
            second = _mm_crc32_u64(second, b);
            third = _mm_crc32_u64(third, c);
        }
        state = shift.apply(static_cast<std::uint32_t>(first)) ^ static_cast<std::uint32_t>(second);
        state = shift.apply(state) ^ static_cast<std::uint32_t>(third);
        p += 3 * Block;
        n -= 3 * Block;
    }
    return state;
}
#endif

__attribute__((target("sse4.2"))) std::uint32_t updateSse42(std::uint32_t state, const std::uint8_t* p, std::size_t n)
{
#if defined(__x86_64__)
    if (n >= 3 * kShortBlock) {
        static const ShiftTable longShift = makeShiftTable(kLongBlock);
        static const ShiftTable shortShift = makeShiftTable(kShortBlock);
        state = threeStreams<kLongBlock>(state, p, n, longShift);
        state = threeStreams<kShortBlock>(state, p, n, shortShift);
    }
    std::uint64_t wide = state;
    while (n >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        wide = _mm_crc32_u64(wide, word);
        p += 8;
        n -= 8;
    }
    state = static_cast<std::uint32_t>(wide);
#endif
    while (n >= 4) {
        std::uint32_t word;
        std::memcpy(&word, p, 4);
        state = _mm_crc32_u32(state, word);
        p += 4;
        n -= 4;
    }
    while (n-- > 0)
        state = _mm_crc32_u8(state, *p++);
    return state;
}

bool detectSse42()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif

bool hardwareAvailable()
{
#if BROKERLAB_CRC32C_X86
    static const bool available = detectSse42();
    return available;
#else
    return false;
#endif
}

} // namespace

std::uint32_t crc32cPortable(std::uint32_t crc, std::span<const std::uint8_t> bytes)
{
    return ~updatePortable(~crc, bytes.data(), bytes.size());
}

bool crc32cHardwareAvailable() { return hardwareAvailable(); }

std::uint32_t crc32cHardware(std::uint32_t crc, std::span<const std::uint8_t> bytes)
{
#if BROKERLAB_CRC32C_X86
    if (hardwareAvailable())
        return ~updateSse42(~crc, bytes.data(), bytes.size());
#endif
    return crc32cPortable(crc, bytes);
}

std::uint32_t crc32cExtend(std::uint32_t crc, std::span<const std::uint8_t> bytes)
{
    return crc32cHardware(crc, bytes);
}

std::uint32_t crc32c(std::span<const std::uint8_t> bytes) { return crc32cExtend(0, bytes); }

} // namespace brokerlab::log
