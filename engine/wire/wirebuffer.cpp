#include "wire/wirebuffer.h"

#include <algorithm>
#include <limits>

namespace brokerlab::wire {

std::uint64_t WireReader::fixed(int width)
{
    const auto size = static_cast<std::size_t>(width);
    if (!ok_ || bytes_.size() - pos_ < size) {
        ok_ = false;
        return 0;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i)
        value = (value << 8) | bytes_[pos_ + i];
    pos_ += size;
    return value;
}

std::uint32_t WireReader::unsignedVarint()
{
    std::uint32_t value = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
        if (!ok_ || pos_ >= bytes_.size()) {
            ok_ = false;
            return 0;
        }
        const std::uint8_t byte = bytes_[pos_++];
        // The fifth byte may carry only the top 4 bits of a 32-bit value.
        if (shift == 28 && (byte & 0xf0) != 0) {
            ok_ = false;
            return 0;
        }
        value |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    ok_ = false;
    return 0;
}

std::int32_t WireReader::varint()
{
    const std::uint32_t raw = unsignedVarint();
    return static_cast<std::int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

std::int32_t WireReader::checkedLength(std::int64_t length, std::size_t minElementSize)
{
    if (!ok_)
        return 0;
    if (length == -1)
        return -1;
    if (length < 0 || static_cast<std::uint64_t>(length) * minElementSize > bytes_.size() - pos_) {
        ok_ = false;
        return 0;
    }
    return static_cast<std::int32_t>(length);
}

std::span<const std::uint8_t> WireReader::bytesView(std::size_t length)
{
    if (!ok_ || bytes_.size() - pos_ < length) {
        ok_ = false;
        return {};
    }
    auto view = bytes_.subspan(pos_, length);
    pos_ += length;
    return view;
}

std::optional<std::string> WireReader::nullableString()
{
    const std::int32_t length = checkedLength(int16(), 1);
    if (!ok_ || length < 0)
        return std::nullopt;
    auto view = bytesView(static_cast<std::size_t>(length));
    return std::string(view.begin(), view.end());
}

std::string WireReader::string()
{
    const std::int32_t length = checkedLength(int16(), 1);
    if (length < 0) {
        ok_ = false; // null where Kafka's schema says non-nullable
        return {};
    }
    auto view = bytesView(static_cast<std::size_t>(length));
    return std::string(view.begin(), view.end());
}

std::optional<std::string> WireReader::compactNullableString()
{
    const std::uint32_t raw = unsignedVarint();
    if (!ok_ || raw == 0)
        return std::nullopt;
    const std::int32_t length = checkedLength(static_cast<std::int64_t>(raw) - 1, 1);
    auto view = bytesView(static_cast<std::size_t>(length));
    return std::string(view.begin(), view.end());
}

std::string WireReader::compactString()
{
    const std::uint32_t raw = unsignedVarint();
    if (ok_ && raw == 0)
        ok_ = false;
    const std::int32_t length = checkedLength(static_cast<std::int64_t>(raw) - 1, 1);
    auto view = bytesView(static_cast<std::size_t>(std::max(length, 0)));
    return std::string(view.begin(), view.end());
}

std::optional<std::vector<std::uint8_t>> WireReader::nullableBytes()
{
    const std::int32_t length = checkedLength(int32(), 1);
    if (!ok_ || length < 0)
        return std::nullopt;
    auto view = bytesView(static_cast<std::size_t>(length));
    return std::vector<std::uint8_t>(view.begin(), view.end());
}

std::int32_t WireReader::arrayLength(std::size_t minElementSize) { return checkedLength(int32(), minElementSize); }

std::int32_t WireReader::compactArrayLength(std::size_t minElementSize)
{
    const std::uint32_t raw = unsignedVarint();
    return checkedLength(static_cast<std::int64_t>(raw) - 1, minElementSize);
}

void WireReader::skipTaggedFields()
{
    const std::uint32_t count = unsignedVarint();
    for (std::uint32_t i = 0; i < count && ok_; ++i) {
        unsignedVarint(); // tag
        const std::uint32_t size = unsignedVarint();
        bytesView(size);
    }
}

void WireWriter::fixed(std::uint64_t value, int width)
{
    for (int i = width - 1; i >= 0; --i)
        out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void WireWriter::unsignedVarint(std::uint32_t value)
{
    while (value >= 0x80) {
        out_.push_back(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    out_.push_back(static_cast<std::uint8_t>(value));
}

void WireWriter::varint(std::int32_t value)
{
    const auto raw = static_cast<std::uint32_t>(value);
    unsignedVarint((raw << 1) ^ static_cast<std::uint32_t>(value >> 31));
}

void WireWriter::string(const std::string& value)
{
    // An int16 length caps classic strings; only free-text messages could get that long.
    const std::size_t size = std::min<std::size_t>(value.size(), std::numeric_limits<std::int16_t>::max());
    int16(static_cast<std::int16_t>(size));
    out_.insert(out_.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(size));
}

void WireWriter::nullableString(const std::optional<std::string>& value)
{
    if (!value)
        int16(-1);
    else
        string(*value);
}

void WireWriter::compactString(const std::string& value)
{
    unsignedVarint(static_cast<std::uint32_t>(value.size() + 1));
    out_.insert(out_.end(), value.begin(), value.end());
}

void WireWriter::compactNullableString(const std::optional<std::string>& value)
{
    if (!value)
        unsignedVarint(0);
    else
        compactString(*value);
}

void WireWriter::bytes(std::span<const std::uint8_t> value)
{
    int32(static_cast<std::int32_t>(value.size()));
    raw(value);
}

void WireWriter::patchInt32(std::size_t at, std::int32_t value)
{
    const auto raw = static_cast<std::uint32_t>(value);
    for (int i = 0; i < 4; ++i)
        out_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(raw >> (8 * (3 - i)));
}

} // namespace brokerlab::wire
