#include "cluster/offsetsrecords.h"

#include <limits>

namespace brokerlab::cluster {

namespace {

class Writer {
public:
    void i16(std::int16_t v) { put(static_cast<std::uint64_t>(static_cast<std::uint16_t>(v)), 2); }
    void i32(std::int32_t v) { put(static_cast<std::uint64_t>(static_cast<std::uint32_t>(v)), 4); }
    void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v), 8); }
    void string(const std::string& s)
    {
        i16(static_cast<std::int16_t>(s.size()));
        out_.insert(out_.end(), s.begin(), s.end());
    }
    void nullableString(const std::optional<std::string>& s)
    {
        if (!s)
            i16(-1);
        else
            string(*s);
    }
    void bytes(const protocol::ByteString& b)
    {
        i32(static_cast<std::int32_t>(b.size()));
        out_.insert(out_.end(), b.begin(), b.end());
    }
    std::vector<std::uint8_t> take() { return std::move(out_); }

private:
    void put(std::uint64_t v, int width)
    {
        for (int shift = (width - 1) * 8; shift >= 0; shift -= 8)
            out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    std::vector<std::uint8_t> out_;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes)
        : bytes_(bytes)
    {
    }
    bool ok() const { return ok_; }
    std::int16_t i16() { return static_cast<std::int16_t>(get(2)); }
    std::int32_t i32() { return static_cast<std::int32_t>(get(4)); }
    std::int64_t i64() { return static_cast<std::int64_t>(get(8)); }
    std::optional<std::string> nullableString()
    {
        const std::int16_t length = i16();
        if (length < 0)
            return std::nullopt;
        if (!need(static_cast<std::size_t>(length)))
            return std::string();
        std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), static_cast<std::size_t>(length));
        pos_ += static_cast<std::size_t>(length);
        return s;
    }
    std::string string() { return nullableString().value_or(std::string()); }
    protocol::ByteString bytes()
    {
        const std::int32_t length = i32();
        if (length < 0 || !need(static_cast<std::size_t>(length)))
            return {};
        protocol::ByteString b(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_),
            bytes_.begin() + static_cast<std::ptrdiff_t>(pos_) + length);
        pos_ += static_cast<std::size_t>(length);
        return b;
    }

private:
    bool need(std::size_t n)
    {
        if (!ok_ || bytes_.size() - pos_ < n) {
            ok_ = false;
            return false;
        }
        return true;
    }
    std::uint64_t get(int width)
    {
        if (!need(static_cast<std::size_t>(width)))
            return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < width; ++i)
            v = v << 8 | bytes_[pos_++];
        return v;
    }
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

} // namespace

std::vector<std::uint8_t> encodeKey(const OffsetsKey& key)
{
    Writer writer;
    if (const auto* offset = std::get_if<OffsetCommitKey>(&key)) {
        writer.i16(1);
        writer.string(offset->group);
        writer.string(offset->topicPartition.topic);
        writer.i32(offset->topicPartition.partition);
    } else {
        writer.i16(2);
        writer.string(std::get<GroupMetadataKey>(key).group);
    }
    return writer.take();
}

std::vector<std::uint8_t> encodeOffsetValue(const CommittedOffset& value)
{
    Writer writer;
    writer.i16(3);
    writer.i64(value.offset);
    writer.i32(value.leaderEpoch);
    writer.string(value.metadata);
    writer.i64(value.commitTimestampMs);
    return writer.take();
}

std::vector<std::uint8_t> encodeGroupValue(const StoredGroup& value)
{
    Writer writer;
    writer.i16(3);
    writer.string(value.protocolType);
    writer.i32(value.generation);
    writer.nullableString(value.protocol);
    writer.nullableString(value.leader);
    writer.i64(value.currentStateTimestampMs);
    writer.i32(static_cast<std::int32_t>(value.members.size()));
    for (const StoredMember& member : value.members) {
        writer.string(member.memberId);
        writer.nullableString(member.groupInstanceId);
        writer.string(member.clientId);
        writer.string(member.clientHost);
        writer.i32(member.rebalanceTimeoutMs);
        writer.i32(member.sessionTimeoutMs);
        writer.bytes(member.subscription);
        writer.bytes(member.assignment);
    }
    return writer.take();
}

std::optional<OffsetsKey> decodeKey(std::span<const std::uint8_t> bytes)
{
    Reader reader(bytes);
    const std::int16_t version = reader.i16();
    OffsetsKey key;
    if (version == 0 || version == 1) {
        OffsetCommitKey offset;
        offset.group = reader.string();
        offset.topicPartition.topic = reader.string();
        offset.topicPartition.partition = reader.i32();
        key = std::move(offset);
    } else if (version == 2) {
        key = GroupMetadataKey { reader.string() };
    } else {
        return std::nullopt;
    }
    return reader.ok() ? std::optional<OffsetsKey>(std::move(key)) : std::nullopt;
}

std::optional<CommittedOffset> decodeOffsetValue(std::span<const std::uint8_t> bytes)
{
    Reader reader(bytes);
    const std::int16_t version = reader.i16();
    if (version < 0 || version > 4)
        return std::nullopt;
    CommittedOffset value;
    value.offset = reader.i64();
    if (version >= 3)
        value.leaderEpoch = reader.i32();
    value.metadata = reader.string();
    value.commitTimestampMs = reader.i64();
    if (version == 1)
        reader.i64(); // expireTimestamp
    return reader.ok() ? std::optional<CommittedOffset>(std::move(value)) : std::nullopt;
}

std::optional<StoredGroup> decodeGroupValue(std::span<const std::uint8_t> bytes)
{
    Reader reader(bytes);
    const std::int16_t version = reader.i16();
    if (version < 0 || version > 3)
        return std::nullopt;
    StoredGroup value;
    value.protocolType = reader.string();
    value.generation = reader.i32();
    value.protocol = reader.nullableString();
    value.leader = reader.nullableString();
    if (version >= 2)
        value.currentStateTimestampMs = reader.i64();
    const std::int32_t count = reader.i32();
    if (count < 0 || static_cast<std::size_t>(count) > bytes.size())
        return std::nullopt;
    for (std::int32_t i = 0; i < count && reader.ok(); ++i) {
        StoredMember member;
        member.memberId = reader.string();
        if (version >= 3)
            member.groupInstanceId = reader.nullableString();
        member.clientId = reader.string();
        member.clientHost = reader.string();
        if (version >= 1)
            member.rebalanceTimeoutMs = reader.i32();
        member.sessionTimeoutMs = reader.i32();
        member.subscription = reader.bytes();
        member.assignment = reader.bytes();
        value.members.push_back(std::move(member));
    }
    return reader.ok() ? std::optional<StoredGroup>(std::move(value)) : std::nullopt;
}

std::int32_t javaStringHash(const std::string& utf8)
{
    // Decode UTF-8 to code points, then hash UTF-16 code units: h = 31 * h + unit (int overflow wraps).
    std::uint32_t hash = 0;
    auto mix = [&hash](std::uint32_t unit) { hash = 31U * hash + unit; };
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        std::uint32_t codePoint = c;
        std::size_t length = 1;
        if (c >= 0xF0 && i + 3 < utf8.size()) {
            codePoint = (c & 0x07U) << 18 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3FU) << 12
                | (static_cast<unsigned char>(utf8[i + 2]) & 0x3FU) << 6 | (static_cast<unsigned char>(utf8[i + 3]) & 0x3FU);
            length = 4;
        } else if (c >= 0xE0 && i + 2 < utf8.size()) {
            codePoint = (c & 0x0FU) << 12 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3FU) << 6
                | (static_cast<unsigned char>(utf8[i + 2]) & 0x3FU);
            length = 3;
        } else if (c >= 0xC0 && i + 1 < utf8.size()) {
            codePoint = (c & 0x1FU) << 6 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3FU);
            length = 2;
        }
        if (codePoint >= 0x10000) {
            const std::uint32_t v = codePoint - 0x10000;
            mix(0xD800 + (v >> 10));
            mix(0xDC00 + (v & 0x3FF));
        } else {
            mix(codePoint);
        }
        i += length;
    }
    return static_cast<std::int32_t>(hash);
}

std::int32_t offsetsPartitionFor(const std::string& groupId, std::int32_t partitions)
{
    const std::int32_t hash = javaStringHash(groupId);
    // Kafka's Utils.abs: Integer.MIN_VALUE maps to 0.
    const std::int32_t positive = hash == std::numeric_limits<std::int32_t>::min() ? 0 : (hash < 0 ? -hash : hash);
    return partitions > 0 ? positive % partitions : 0;
}

} // namespace brokerlab::cluster
