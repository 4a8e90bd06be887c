#pragma once
// Helpers shared by the log tests: kafkajs wire vectors and quick batch construction.

#include "log/crc32c.h"
#include "log/recordbatch.h"

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

// Readable QCOMPARE failures (found by argument-dependent lookup).
namespace brokerlab::log {
inline char* toString(BatchError error) { return qstrdup(std::string(batchErrorName(error)).c_str()); }
inline char* toString(Compression codec) { return qstrdup(std::to_string(static_cast<int>(codec)).c_str()); }
} // namespace brokerlab::log

namespace logtest {

using brokerlab::log::Bytes;

// A kafkajs vector ({"type":"Buffer","data":[...]}) under tests/data/kafka-wire; empty if missing.
inline Bytes loadWireVector(const QString& relativePath)
{
    QFile file(QStringLiteral(BROKERLAB_TEST_DATA "/kafka-wire/") + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray data = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("data")).toArray();
    Bytes bytes;
    bytes.reserve(static_cast<std::size_t>(data.size()));
    for (const auto& value : data)
        bytes.push_back(static_cast<std::uint8_t>(value.toInt()));
    return bytes;
}

inline std::span<const std::uint8_t> asSpan(std::string_view text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

inline Bytes hex(const char* text)
{
    const QByteArray bytes = QByteArray::fromHex(text);
    return Bytes(bytes.begin(), bytes.end());
}

// Big-endian reads for checking fields at their documented offsets.
inline std::int64_t readBe(const Bytes& bytes, std::size_t at, int width)
{
    std::uint64_t value = 0;
    for (int i = 0; i < width; ++i)
        value = value << 8 | bytes.at(at + static_cast<std::size_t>(i));
    if (width < 8 && (value >> (8 * width - 1)) != 0)
        value |= ~std::uint64_t(0) << (8 * width); // sign-extend
    return static_cast<std::int64_t>(value);
}

// A batch of `count` records: keys "<keyPrefix><i>", values of `valueSize` bytes, timestamps
// firstTimestamp + i.
inline Bytes makeBatch(int count, std::int64_t firstTimestamp, const std::string& keyPrefix = "key-",
    std::size_t valueSize = 16, brokerlab::log::Compression compression = brokerlab::log::Compression::None)
{
    brokerlab::log::BatchBuilder::Options options;
    options.compression = compression;
    options.batchSizeLimit = INT32_MAX;
    brokerlab::log::BatchBuilder builder(options);
    for (int i = 0; i < count; ++i) {
        const std::string key = keyPrefix + std::to_string(i);
        std::string value(valueSize, 'v');
        if (!value.empty())
            value[0] = static_cast<char>('a' + i % 26);
        builder.append(firstTimestamp + i, asSpan(key), false, asSpan(value), false);
    }
    return builder.build();
}

// Rewrites the CRC after a test edited bytes it covers, so the edit reaches the deeper checks.
inline void fixCrc(Bytes& batch)
{
    const std::uint32_t crc = brokerlab::log::crc32c(std::span(batch).subspan(brokerlab::log::field::Attributes));
    for (int i = 0; i < 4; ++i)
        batch[brokerlab::log::field::Crc + i] = static_cast<std::uint8_t>(crc >> (24 - 8 * i));
}

// A batch from (key, value) pairs; nullptr is a null key or a tombstone. Timestamps timestamp + i.
struct KeyValue {
    const char* key;
    const char* value;
};
inline Bytes keyedBatch(std::initializer_list<KeyValue> records, std::int64_t timestamp,
    brokerlab::log::Compression compression = brokerlab::log::Compression::None)
{
    brokerlab::log::BatchBuilder::Options options;
    options.compression = compression;
    brokerlab::log::BatchBuilder builder(options);
    std::int64_t i = 0;
    for (const KeyValue& record : records) {
        builder.append(timestamp + i++, record.key ? asSpan(record.key) : std::span<const std::uint8_t> {}, !record.key,
            record.value ? asSpan(record.value) : std::span<const std::uint8_t> {}, !record.value);
    }
    return builder.build();
}

} // namespace logtest
