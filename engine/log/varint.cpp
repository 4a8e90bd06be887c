#include "log/varint.h"

namespace brokerlab::log::varint {

namespace {

// Reads up to maxBytes 7-bit groups. The last allowed byte may only carry the bits that still fit
// in the type (lastByteLimit); anything else is an encoding Kafka never writes.
bool readUnsigned(
    std::span<const std::uint8_t> in, std::size_t& pos, int maxBytes, std::uint8_t lastByteLimit, std::uint64_t& out)
{
    std::uint64_t value = 0;
    std::size_t at = pos;
    for (int i = 0; i < maxBytes; ++i) {
        if (at >= in.size())
            return false;
        const std::uint8_t byte = in[at++];
        if (i == maxBytes - 1 && byte > lastByteLimit)
            return false;
        value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
        if ((byte & 0x80) == 0) {
            pos = at;
            out = value;
            return true;
        }
    }
    return false;
}

} // namespace

bool readVarintSlow(std::span<const std::uint8_t> in, std::size_t& pos, std::int32_t& out)
{
    std::uint64_t value = 0;
    // 5 bytes carry 35 bits; a 32-bit value leaves 4 bits for the last byte.
    if (!readUnsigned(in, pos, kMaxVarintBytes, 0x0f, value))
        return false;
    out = unzigzag(static_cast<std::uint32_t>(value));
    return true;
}

bool readVarlongSlow(std::span<const std::uint8_t> in, std::size_t& pos, std::int64_t& out)
{
    std::uint64_t value = 0;
    // 10 bytes carry 70 bits; a 64-bit value leaves 1 bit for the last byte.
    if (!readUnsigned(in, pos, kMaxVarlongBytes, 0x01, value))
        return false;
    out = unzigzag(value);
    return true;
}

void appendVarint(Bytes& out, std::int32_t value)
{
    std::uint8_t buffer[kMaxVarintBytes];
    std::uint8_t* end = writeVarint(value, buffer);
    out.insert(out.end(), buffer, end);
}

void appendVarlong(Bytes& out, std::int64_t value)
{
    std::uint8_t buffer[kMaxVarlongBytes];
    std::uint8_t* end = writeVarlong(value, buffer);
    out.insert(out.end(), buffer, end);
}

} // namespace brokerlab::log::varint
