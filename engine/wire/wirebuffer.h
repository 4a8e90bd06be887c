#pragma once
// Bounds-checked big-endian reader and writer for Kafka's wire types: fixed-width integers,
// (unsigned) varints, strings, bytes and arrays in their classic (int16/int32 length) and compact
// (unsigned varint length + 1, flexible versions) forms, and tagged fields. A read past the end,
// a negative length other than -1, or a length beyond the remaining bytes sets fail() and returns a
// neutral value; callers check ok() once per message instead of after every field.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace brokerlab::wire {

class WireReader {
public:
    explicit WireReader(std::span<const std::uint8_t> bytes)
        : bytes_(bytes)
    {
    }

    bool ok() const { return ok_; }
    void fail() { ok_ = false; }
    std::size_t position() const { return pos_; }
    std::size_t remaining() const { return ok_ ? bytes_.size() - pos_ : 0; }
    bool atEnd() const { return ok_ && pos_ == bytes_.size(); }

    std::int8_t int8() { return static_cast<std::int8_t>(fixed(1)); }
    std::int16_t int16() { return static_cast<std::int16_t>(fixed(2)); }
    std::int32_t int32() { return static_cast<std::int32_t>(fixed(4)); }
    std::int64_t int64() { return static_cast<std::int64_t>(fixed(8)); }
    bool boolean() { return int8() != 0; }
    std::uint32_t unsignedVarint();
    std::int32_t varint(); // zig-zag

    std::string string(); // int16 length, not null
    std::optional<std::string> nullableString();
    std::string compactString();
    std::optional<std::string> compactNullableString();
    std::optional<std::vector<std::uint8_t>> nullableBytes(); // int32 length
    std::span<const std::uint8_t> bytesView(std::size_t length);

    // Array lengths: -1 (null) comes back as -1 and the caller decides; a length that cannot fit
    // in the remaining bytes (each element takes at least `minElementSize`) fails the reader, so a
    // hostile count never makes a caller reserve gigabytes.
    std::int32_t arrayLength(std::size_t minElementSize = 1);
    std::int32_t compactArrayLength(std::size_t minElementSize = 1);
    // Skips a tagged-field section (flexible versions): Brokerlab reads none of the optional tags.
    void skipTaggedFields();

private:
    std::uint64_t fixed(int width);
    std::int32_t checkedLength(std::int64_t length, std::size_t minElementSize);

    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

class WireWriter {
public:
    void int8(std::int8_t value) { out_.push_back(static_cast<std::uint8_t>(value)); }
    void int16(std::int16_t value) { fixed(static_cast<std::uint16_t>(value), 2); }
    void int32(std::int32_t value) { fixed(static_cast<std::uint32_t>(value), 4); }
    void int64(std::int64_t value) { fixed(static_cast<std::uint64_t>(value), 8); }
    void boolean(bool value) { int8(value ? 1 : 0); }
    void unsignedVarint(std::uint32_t value);
    void varint(std::int32_t value);

    void string(const std::string& value);
    void nullableString(const std::optional<std::string>& value);
    void compactString(const std::string& value);
    void compactNullableString(const std::optional<std::string>& value);
    void bytes(std::span<const std::uint8_t> value); // int32 length
    void nullBytes() { int32(-1); }
    void raw(std::span<const std::uint8_t> value) { out_.insert(out_.end(), value.begin(), value.end()); }
    void arrayLength(std::size_t count) { int32(static_cast<std::int32_t>(count)); }
    void compactArrayLength(std::size_t count) { unsignedVarint(static_cast<std::uint32_t>(count + 1)); }
    void emptyTaggedFields() { unsignedVarint(0); }

    std::size_t size() const { return out_.size(); }
    // Overwrites 4 bytes at `at` (a size prefix written as a placeholder).
    void patchInt32(std::size_t at, std::int32_t value);
    std::vector<std::uint8_t>& buffer() { return out_; }
    std::vector<std::uint8_t> take() { return std::move(out_); }

private:
    void fixed(std::uint64_t value, int width);
    std::vector<std::uint8_t> out_;
};

} // namespace brokerlab::wire
