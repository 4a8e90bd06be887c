#include "group/consumerprotocol.h"

#include <algorithm>
#include <limits>

namespace brokerlab::group {

namespace {

// Encoding clamps the version into what this build knows: a caller asking for v7 gets the newest
// layout we can write rather than a header that promises fields we would not write.
std::int16_t writableVersion(std::int16_t version)
{
    return std::clamp<std::int16_t>(version, 0, kConsumerProtocolVersion);
}

class Writer {
public:
    void int16(std::int16_t value)
    {
        const auto bits = static_cast<std::uint16_t>(value);
        bytes_.push_back(static_cast<std::uint8_t>(bits >> 8));
        bytes_.push_back(static_cast<std::uint8_t>(bits));
    }
    void int32(std::int32_t value)
    {
        const auto bits = static_cast<std::uint32_t>(value);
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes_.push_back(static_cast<std::uint8_t>(bits >> shift));
    }
    // Topic names are at most 249 bytes in Kafka, far below the int16 length limit.
    void string(const std::string& value)
    {
        int16(static_cast<std::int16_t>(value.size()));
        bytes_.insert(bytes_.end(), value.begin(), value.end());
    }
    void nullableString(const std::optional<std::string>& value)
    {
        if (!value)
            int16(-1);
        else
            string(*value);
    }
    void nullableBytes(const std::optional<Bytes>& value)
    {
        if (!value) {
            int32(-1);
            return;
        }
        int32(static_cast<std::int32_t>(value->size()));
        bytes_.insert(bytes_.end(), value->begin(), value->end());
    }
    // [{topic, [partitions]}], grouped by topic in the order topics first appear, as Kafka's
    // ConsumerProtocol groups a flat partition list.
    void topicPartitions(const std::vector<TopicPartition>& partitions)
    {
        std::vector<std::pair<std::string, std::vector<std::int32_t>>> grouped;
        for (const TopicPartition& partition : partitions) {
            auto found = std::find_if(grouped.begin(), grouped.end(),
                [&partition](const auto& entry) { return entry.first == partition.topic; });
            if (found == grouped.end()) {
                grouped.emplace_back(partition.topic, std::vector<std::int32_t> {});
                found = grouped.end() - 1;
            }
            found->second.push_back(partition.partition);
        }
        int32(static_cast<std::int32_t>(grouped.size()));
        for (const auto& [topic, numbers] : grouped) {
            string(topic);
            int32(static_cast<std::int32_t>(numbers.size()));
            for (const std::int32_t number : numbers)
                int32(number);
        }
    }
    Bytes take() { return std::move(bytes_); }

private:
    Bytes bytes_;
};

// Every read checks the remaining length first; the first failure records what was being read and
// at which byte offset, and every later read fails without touching the input.
class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes)
        : bytes_(bytes)
    {
    }

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }

    std::int16_t int16(const char* what)
    {
        if (!need(2, what))
            return 0;
        const auto value = static_cast<std::int16_t>((bytes_[offset_] << 8) | bytes_[offset_ + 1]);
        offset_ += 2;
        return value;
    }
    std::int32_t int32(const char* what)
    {
        if (!need(4, what))
            return 0;
        std::uint32_t bits = 0;
        for (std::size_t i = 0; i < 4; ++i)
            bits = (bits << 8) | bytes_[offset_ + i];
        offset_ += 4;
        return static_cast<std::int32_t>(bits);
    }
    std::optional<std::string> nullableString(const char* what)
    {
        const std::size_t at = offset_;
        const std::int16_t length = int16(what);
        if (failed())
            return std::nullopt;
        if (length == -1)
            return std::nullopt;
        if (length < 0) {
            fail(at, std::string(what) + ": invalid string length " + std::to_string(length));
            return std::nullopt;
        }
        if (!need(static_cast<std::size_t>(length), what))
            return std::nullopt;
        std::string value(reinterpret_cast<const char*>(bytes_.data() + offset_), static_cast<std::size_t>(length));
        offset_ += static_cast<std::size_t>(length);
        return value;
    }
    std::string string(const char* what)
    {
        const std::size_t at = offset_;
        std::optional<std::string> value = nullableString(what);
        if (!value && !failed())
            fail(at, std::string(what) + ": null where Kafka's schema does not allow null");
        return value.value_or(std::string());
    }
    std::optional<Bytes> nullableBytes(const char* what)
    {
        const std::size_t at = offset_;
        const std::int32_t length = int32(what);
        if (failed() || length == -1)
            return std::nullopt;
        if (length < 0) {
            fail(at, std::string(what) + ": invalid byte length " + std::to_string(length));
            return std::nullopt;
        }
        if (!need(static_cast<std::size_t>(length), what))
            return std::nullopt;
        Bytes value(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_),
            bytes_.begin() + static_cast<std::ptrdiff_t>(offset_ + static_cast<std::size_t>(length)));
        offset_ += static_cast<std::size_t>(length);
        return value;
    }
    // An array's element count: not null (none of these arrays is nullable), not negative, and not
    // more elements than the remaining bytes could hold, so an absurd count never drives a huge
    // allocation or a long loop.
    std::int32_t arrayCount(const char* what, std::size_t minimumElementSize)
    {
        const std::size_t at = offset_;
        const std::int32_t count = int32(what);
        if (failed())
            return 0;
        if (count == -1) {
            fail(at, std::string(what) + ": null array where Kafka's schema does not allow null");
            return 0;
        }
        if (count < 0) {
            fail(at, std::string(what) + ": invalid array length " + std::to_string(count));
            return 0;
        }
        if (static_cast<std::size_t>(count) > remaining() / minimumElementSize) {
            fail(at,
                std::string(what) + ": array length " + std::to_string(count) + " cannot fit in the "
                    + std::to_string(remaining()) + " remaining bytes (truncated or corrupt)");
            return 0;
        }
        return count;
    }
    std::vector<TopicPartition> topicPartitions(const char* what)
    {
        std::vector<TopicPartition> result;
        // Smallest entry: an empty topic name (2 bytes) and an empty partition array (4 bytes).
        const std::int32_t topics = arrayCount(what, 6);
        for (std::int32_t t = 0; t < topics && !failed(); ++t) {
            const std::string topic = string("topic name");
            const std::int32_t partitions = arrayCount("partition array", 4);
            for (std::int32_t p = 0; p < partitions && !failed(); ++p) {
                const std::int32_t partition = int32("partition");
                if (!failed())
                    result.push_back(TopicPartition { topic, partition });
            }
        }
        return result;
    }

private:
    std::size_t remaining() const { return bytes_.size() - offset_; }
    bool need(std::size_t count, const char* what)
    {
        if (failed())
            return false;
        if (remaining() < count) {
            fail(offset_,
                std::string(what) + ": truncated, needs " + std::to_string(count) + " bytes but only "
                    + std::to_string(remaining()) + " remain");
            return false;
        }
        return true;
    }
    void fail(std::size_t at, std::string message)
    {
        if (error_.empty())
            error_ = std::move(message) + " (at byte " + std::to_string(at) + ")";
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t offset_ = 0;
    std::string error_;
};

// ConsumerProtocol.checkVersionCompatibility: negative versions are rejected; a version newer than
// ours is read with our newest layout, since new versions may only append fields.
std::optional<std::int16_t> readVersion(Reader& reader, const char* message, std::string* error)
{
    const std::int16_t version = reader.int16("version");
    if (reader.failed()) {
        if (error)
            *error = std::string(message) + ": " + reader.error();
        return std::nullopt;
    }
    if (version < 0) {
        if (error)
            *error = std::string(message) + ": unsupported version " + std::to_string(version);
        return std::nullopt;
    }
    return std::min(version, kConsumerProtocolVersion);
}

} // namespace

Bytes encodeSubscription(const Subscription& subscription, std::int16_t version)
{
    version = writableVersion(version);
    Writer writer;
    writer.int16(version);
    writer.int32(static_cast<std::int32_t>(subscription.topics.size()));
    for (const std::string& topic : subscription.topics)
        writer.string(topic);
    writer.nullableBytes(subscription.userData);
    if (version >= 1)
        writer.topicPartitions(subscription.ownedPartitions);
    if (version >= 2)
        writer.int32(subscription.generationId);
    if (version >= 3)
        writer.nullableString(subscription.rackId);
    return writer.take();
}

Bytes encodeAssignment(const MemberAssignment& assignment, std::int16_t version)
{
    Writer writer;
    writer.int16(writableVersion(version));
    writer.topicPartitions(assignment.partitions);
    writer.nullableBytes(assignment.userData);
    return writer.take();
}

// Bytes after the last known field are ignored, as Kafka's generated readers ignore them: a newer
// version may append fields.
std::optional<Subscription> decodeSubscription(std::span<const std::uint8_t> bytes, std::string* error)
{
    static constexpr const char* kMessage = "ConsumerProtocolSubscription";
    Reader reader(bytes);
    const std::optional<std::int16_t> version = readVersion(reader, kMessage, error);
    if (!version)
        return std::nullopt;

    Subscription subscription;
    const std::int32_t topics = reader.arrayCount("topics", 2);
    for (std::int32_t t = 0; t < topics && !reader.failed(); ++t)
        subscription.topics.push_back(reader.string("topic name"));
    subscription.userData = reader.nullableBytes("user_data");
    if (*version >= 1)
        subscription.ownedPartitions = reader.topicPartitions("owned_partitions");
    if (*version >= 2)
        subscription.generationId = reader.int32("generation_id");
    if (*version >= 3)
        subscription.rackId = reader.nullableString("rack_id");

    if (reader.failed()) {
        if (error)
            *error = std::string(kMessage) + " v" + std::to_string(*version) + ": " + reader.error();
        return std::nullopt;
    }
    return subscription;
}

std::optional<MemberAssignment> decodeAssignment(std::span<const std::uint8_t> bytes, std::string* error)
{
    static constexpr const char* kMessage = "ConsumerProtocolAssignment";
    // A member the leader gave nothing may receive zero bytes in SyncGroup.
    if (bytes.empty())
        return MemberAssignment {};
    Reader reader(bytes);
    const std::optional<std::int16_t> version = readVersion(reader, kMessage, error);
    if (!version)
        return std::nullopt;

    MemberAssignment assignment;
    assignment.partitions = reader.topicPartitions("assigned_partitions");
    assignment.userData = reader.nullableBytes("user_data");
    if (reader.failed()) {
        if (error)
            *error = std::string(kMessage) + " v" + std::to_string(*version) + ": " + reader.error();
        return std::nullopt;
    }
    return assignment;
}

} // namespace brokerlab::group
