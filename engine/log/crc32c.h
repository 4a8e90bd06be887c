#pragma once
// CRC-32C (Castagnoli), the checksum of RecordBatch v2. Kafka computes it from the attributes field
// to the end of the batch.

#include <cstdint>
#include <span>

namespace brokerlab::log {

// Picks the SSE4.2 instruction when the CPU has it, the table-driven code otherwise.
std::uint32_t crc32c(std::span<const std::uint8_t> bytes);
// Continues a checksum over more bytes: crc32cExtend(crc32c(a), b) == crc32c(a + b).
std::uint32_t crc32cExtend(std::uint32_t crc, std::span<const std::uint8_t> bytes);

// Both code paths, exposed so tests can check each against the same vectors.
std::uint32_t crc32cPortable(std::uint32_t crc, std::span<const std::uint8_t> bytes);
bool crc32cHardwareAvailable();
// Only call when crc32cHardwareAvailable(); falls back to the portable code otherwise.
std::uint32_t crc32cHardware(std::uint32_t crc, std::span<const std::uint8_t> bytes);

} // namespace brokerlab::log
