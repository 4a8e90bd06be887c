// Workloads feed every lesson's topics and the message browser: values must be valid JSON that
// reads like real events, keys must follow the chosen distribution, the same seed must give the
// same records, and the benchmark payload must be exactly the size asked for.

#include "client/deserializer.h"
#include "client/workload.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

using namespace brokerlab::client;

namespace {

constexpr std::int64_t kStartMs = 1'714'557'600'000; // 2024-05-01T10:00:00Z

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QJsonObject parseObject(const std::string& value, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray(value.data(), static_cast<qsizetype>(value.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        *error = parseError.errorString() + QStringLiteral(" at ") + QString::number(parseError.offset);
    else if (!document.isObject())
        *error = QStringLiteral("not an object");
    return document.object();
}

// The field holding the record's natural id (the key) and the fields every value must have.
struct KindShape {
    QString idField;
    QStringList fields;
    QString defaultPrefix;
    QStringList traitFields; // follow the entity (the key), not the record stream
};

KindShape shapeOf(WorkloadKind kind)
{
    switch (kind) {
    case WorkloadKind::Orders:
        return { QStringLiteral("customer_id"),
            { QStringLiteral("order_id"), QStringLiteral("items"), QStringLiteral("total"), QStringLiteral("currency"),
                QStringLiteral("status"), QStringLiteral("ts") },
            QStringLiteral("customer-"), { QStringLiteral("currency") } };
    case WorkloadKind::RideRequests:
        return { QStringLiteral("rider_id"),
            { QStringLiteral("request_id"), QStringLiteral("city"), QStringLiteral("pickup"), QStringLiteral("dropoff"),
                QStringLiteral("vehicle_class"), QStringLiteral("surge"), QStringLiteral("ts") },
            QStringLiteral("rider-"),
            { QStringLiteral("city"), QStringLiteral("pickup"), QStringLiteral("dropoff"), QStringLiteral("surge") } };
    case WorkloadKind::PageViews:
        return { QStringLiteral("user_id"),
            { QStringLiteral("url"), QStringLiteral("referrer"), QStringLiteral("user_agent"),
                QStringLiteral("duration_ms"), QStringLiteral("session_id"), QStringLiteral("ts") },
            QStringLiteral("user-"),
            { QStringLiteral("user_agent"), QStringLiteral("device"), QStringLiteral("session_id") } };
    case WorkloadKind::LogLines:
        return { QStringLiteral("service"),
            { QStringLiteral("@timestamp"), QStringLiteral("level"), QStringLiteral("message"),
                QStringLiteral("trace_id"), QStringLiteral("host") },
            QStringLiteral("service-"), { QStringLiteral("host") } };
    case WorkloadKind::SensorMetrics:
        return { QStringLiteral("device_id"),
            { QStringLiteral("temperature_c"), QStringLiteral("humidity_pct"), QStringLiteral("pressure_hpa"),
                QStringLiteral("battery_pct"), QStringLiteral("ts") },
            QStringLiteral("device-"),
            { QStringLiteral("site"), QStringLiteral("firmware"), QStringLiteral("temperature_c"),
                QStringLiteral("humidity_pct"), QStringLiteral("pressure_hpa"), QStringLiteral("battery_pct") } };
    case WorkloadKind::FixedBytes:
        break;
    }
    return {};
}

std::vector<GeneratedRecord> generate(const WorkloadSpec& spec, std::uint64_t seed, int count)
{
    Workload workload(spec, seed);
    std::vector<GeneratedRecord> records(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        workload.next(i, kStartMs + i * 250, records[static_cast<std::size_t>(i)]);
    return records;
}

bool sameRecords(const std::vector<GeneratedRecord>& a, const std::vector<GeneratedRecord>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].key != b[i].key || a[i].nullKey != b[i].nullKey || a[i].value != b[i].value
            || a[i].headers != b[i].headers)
            return false;
    }
    return true;
}

double hottestKeyShare(const WorkloadSpec& spec, int count)
{
    std::map<std::string, int> counts;
    for (const GeneratedRecord& record : generate(spec, 5, count))
        ++counts[record.key];
    int most = 0;
    for (const auto& [key, n] : counts)
        most = std::max(most, n);
    return static_cast<double>(most) / count;
}

void addJsonKinds()
{
    QTest::addColumn<int>("kind");
    for (const auto kind : { WorkloadKind::Orders, WorkloadKind::RideRequests, WorkloadKind::PageViews,
             WorkloadKind::LogLines, WorkloadKind::SensorMetrics })
        QTest::addRow("%s", workloadKindName(kind).data()) << static_cast<int>(kind);
}

} // namespace

class TestWorkload : public QObject {
    Q_OBJECT

private slots:
    void fixedBytesValuesAreUniqueAndCarryTheirSequence()
    {
        // The history checker tells records apart by their bytes: every value must differ.
        brokerlab::client::WorkloadSpec spec;
        spec.kind = brokerlab::client::WorkloadKind::FixedBytes;
        spec.keys = brokerlab::client::KeyDistribution::Null;
        spec.valueBytes = 100;
        brokerlab::client::Workload workload(spec, 9);
        brokerlab::client::GeneratedRecord record;
        std::set<std::string> seen;
        for (std::int64_t sequence : { 0LL, 1LL, 15LL, 16LL, 255LL, 0xabcdefLL, 0x123456789abcdef0LL }) {
            workload.next(sequence, 0, record);
            char expected[17];
            std::snprintf(expected, sizeof expected, "%016llx", static_cast<unsigned long long>(sequence));
            QCOMPARE(record.value.substr(0, 16), std::string(expected));
            QCOMPARE(record.value.size(), std::size_t(100));
        }
        for (std::int64_t sequence = 0; sequence < 100000; ++sequence) {
            workload.next(sequence, 0, record);
            QVERIFY(seen.insert(record.value).second);
        }
    }

    void kindNames_data();
    void kindNames();
    void keyDistributionNames_data();
    void keyDistributionNames();
    void valuesAreValidJson_data();
    void valuesAreValidJson();
    void sameSeedSameRecords_data();
    void sameSeedSameRecords();
    void keyChoiceDoesNotDisturbValues_data();
    void keyChoiceDoesNotDisturbValues();
    void sequentialKeys();
    void tombstonesKeepTheKeyAndDropTheValue();
    void uniformKeysCoverTheKeySpace();
    void zipfKeysAreHot();
    void customPrefixStaysValidJson_data();
    void customPrefixStaysValidJson();
    void fixedBytesExactSize_data();
    void fixedBytesExactSize();
    void fixedBytesReusesBuffers();
    void fixedBytesKeys_data();
    void fixedBytesKeys();
    void ordersAddUp();
    void ridesStartInTheRidersCity();
    void pageViewsLookLikeASite();
    void logLevelsHaveRealisticShares();
    void sensorsHaveStableBaselines();
    void poisonRecordsAreAvroFramed();
    void logLinesKeyedByHost();
};

void TestWorkload::kindNames_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");
    QTest::addRow("orders") << static_cast<int>(WorkloadKind::Orders) << QStringLiteral("orders");
    QTest::addRow("ride_requests") << static_cast<int>(WorkloadKind::RideRequests) << QStringLiteral("ride_requests");
    QTest::addRow("page_views") << static_cast<int>(WorkloadKind::PageViews) << QStringLiteral("page_views");
    QTest::addRow("log_lines") << static_cast<int>(WorkloadKind::LogLines) << QStringLiteral("log_lines");
    QTest::addRow("sensor_metrics") << static_cast<int>(WorkloadKind::SensorMetrics)
                                    << QStringLiteral("sensor_metrics");
    QTest::addRow("bytes") << static_cast<int>(WorkloadKind::FixedBytes) << QStringLiteral("bytes");
}

void TestWorkload::kindNames()
{
    QFETCH(int, kind);
    QFETCH(QString, name);
    QCOMPARE(qs(std::string(workloadKindName(static_cast<WorkloadKind>(kind)))), name);
    QVERIFY(workloadKindFromName(name.toStdString()) == static_cast<WorkloadKind>(kind));
    QVERIFY(!workloadKindFromName(name.toUpper().toStdString()));
    QVERIFY(!workloadKindFromName(""));
}

void TestWorkload::keyDistributionNames_data()
{
    QTest::addColumn<int>("distribution");
    QTest::addColumn<QString>("name");
    QTest::addRow("null") << static_cast<int>(KeyDistribution::Null) << QStringLiteral("null");
    QTest::addRow("uniform") << static_cast<int>(KeyDistribution::Uniform) << QStringLiteral("uniform");
    QTest::addRow("zipf") << static_cast<int>(KeyDistribution::Zipf) << QStringLiteral("zipf");
    QTest::addRow("sequential") << static_cast<int>(KeyDistribution::Sequential) << QStringLiteral("sequential");
}

void TestWorkload::keyDistributionNames()
{
    QFETCH(int, distribution);
    QFETCH(QString, name);
    QCOMPARE(qs(std::string(keyDistributionName(static_cast<KeyDistribution>(distribution)))), name);
    QVERIFY(keyDistributionFromName(name.toStdString()) == static_cast<KeyDistribution>(distribution));
    QVERIFY(!keyDistributionFromName("hot"));
}

void TestWorkload::valuesAreValidJson_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("keys");
    for (const auto kind : { WorkloadKind::Orders, WorkloadKind::RideRequests, WorkloadKind::PageViews,
             WorkloadKind::LogLines, WorkloadKind::SensorMetrics }) {
        for (const auto keys :
            { KeyDistribution::Null, KeyDistribution::Uniform, KeyDistribution::Zipf, KeyDistribution::Sequential }) {
            QTest::addRow("%s, %s keys", workloadKindName(kind).data(), keyDistributionName(keys).data())
                << static_cast<int>(kind) << static_cast<int>(keys);
        }
    }
}

void TestWorkload::valuesAreValidJson()
{
    QFETCH(int, kind);
    QFETCH(int, keys);
    WorkloadSpec spec;
    spec.kind = static_cast<WorkloadKind>(kind);
    spec.keys = static_cast<KeyDistribution>(keys);
    spec.keyCount = 50;
    const KindShape shape = shapeOf(spec.kind);
    const std::vector<GeneratedRecord> records = generate(spec, 1, 400);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const GeneratedRecord& record = records[i];
        QString error;
        const QJsonObject object = parseObject(record.value, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error + QStringLiteral(": ") + qs(record.value)));
        for (const QString& field : shape.fields)
            QVERIFY2(object.contains(field), qPrintable(field + QStringLiteral(" missing: ") + qs(record.value)));

        // The key is the value's natural id; with null keys the value still names an entity.
        const QString id = object.value(shape.idField).toString();
        QVERIFY2(id.startsWith(shape.defaultPrefix), qPrintable(id));
        const qint64 number = id.mid(shape.defaultPrefix.size()).toLongLong();
        QVERIFY2(number >= 0 && number < spec.keyCount, qPrintable(id));
        QCOMPARE(record.nullKey, spec.keys == KeyDistribution::Null);
        if (record.nullKey)
            QVERIFY(record.key.empty());
        else
            QCOMPARE(id, qs(record.key));

        // The record's timestamp is the one the producer asked for.
        const std::int64_t timestampMs = kStartMs + static_cast<std::int64_t>(i) * 250;
        if (spec.kind == WorkloadKind::LogLines) {
            QCOMPARE(object.value(QStringLiteral("@timestamp")).toString(),
                QDateTime::fromMSecsSinceEpoch(timestampMs, Qt::UTC).toString(Qt::ISODateWithMs));
        } else {
            QCOMPARE(static_cast<std::int64_t>(object.value(QStringLiteral("ts")).toDouble()), timestampMs);
        }

        // Headers: content-type and a W3C-sized trace id.
        QCOMPARE(record.headers.size(), std::size_t { 2 });
        QCOMPARE(qs(record.headers[0].key), QStringLiteral("content-type"));
        QCOMPARE(qs(record.headers[0].value.value_or("")), QStringLiteral("application/json"));
        QCOMPARE(qs(record.headers[1].key), QStringLiteral("trace-id"));
        const std::string trace = record.headers[1].value.value_or("");
        QCOMPARE(trace.size(), std::size_t { 32 });
        QVERIFY(std::all_of(
            trace.begin(), trace.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }));
    }

    spec.headers = false;
    for (const GeneratedRecord& record : generate(spec, 1, 20))
        QVERIFY(record.headers.empty());
}

void TestWorkload::sameSeedSameRecords_data()
{
    addJsonKinds();
    QTest::addRow("bytes") << static_cast<int>(WorkloadKind::FixedBytes);
}

void TestWorkload::sameSeedSameRecords()
{
    QFETCH(int, kind);
    WorkloadSpec spec;
    spec.kind = static_cast<WorkloadKind>(kind);
    spec.keys = KeyDistribution::Zipf;
    QVERIFY(sameRecords(generate(spec, 77, 300), generate(spec, 77, 300)));
    QVERIFY(!sameRecords(generate(spec, 77, 300), generate(spec, 78, 300)));

    // A workload moved mid-stream (say into a producer) carries on where it was.
    const std::vector<GeneratedRecord> reference = generate(spec, 9, 3);
    Workload original(spec, 9);
    GeneratedRecord record;
    original.next(0, kStartMs, record);
    Workload moved(std::move(original));
    moved.next(1, kStartMs + 250, record);
    QCOMPARE(qs(record.value), qs(reference[1].value));
    Workload assigned(spec, 1234);
    assigned = std::move(moved);
    assigned.next(2, kStartMs + 500, record);
    QCOMPARE(qs(record.value), qs(reference[2].value));
    QCOMPARE(qs(record.key), qs(reference[2].key));
}

void TestWorkload::keyChoiceDoesNotDisturbValues_data()
{
    addJsonKinds();
}

void TestWorkload::keyChoiceDoesNotDisturbValues()
{
    // Keys and values use separate streams: a lesson can switch null keys to zipf keys and the
    // payloads stay comparable. Only the natural id inside the value follows the key.
    QFETCH(int, kind);
    WorkloadSpec sequential;
    sequential.kind = static_cast<WorkloadKind>(kind);
    sequential.keys = KeyDistribution::Sequential;
    WorkloadSpec uniform = sequential;
    uniform.keys = KeyDistribution::Uniform;
    WorkloadSpec noHeaders = sequential;
    noHeaders.headers = false;
    const auto a = generate(sequential, 3, 100);
    const auto b = generate(uniform, 3, 100);
    const auto c = generate(noHeaders, 3, 100);
    const KindShape shape = shapeOf(sequential.kind);
    int differentKeys = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(qs(c[i].value), qs(a[i].value)); // headers on or off: same values
        QString error;
        QJsonObject left = parseObject(a[i].value, &error);
        QJsonObject right = parseObject(b[i].value, &error);
        QVERIFY(error.isEmpty());
        differentKeys += a[i].key != b[i].key ? 1 : 0;
        if (a[i].key != b[i].key) {
            for (const QString& field : shape.traitFields + QStringList { shape.idField }) {
                left.remove(field);
                right.remove(field);
            }
        }
        QCOMPARE(left, right);
    }
    QVERIFY(differentKeys > 50);
}

void TestWorkload::sequentialKeys()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::SensorMetrics;
    spec.keys = KeyDistribution::Sequential;
    spec.keyCount = 7;
    Workload workload(spec, 1);
    GeneratedRecord record;
    for (std::int64_t sequence : { 0, 1, 6, 7, 8, 13, 700, 1'000'000'006 }) {
        workload.next(sequence, kStartMs, record);
        QCOMPARE(qs(record.key), QStringLiteral("device-%1").arg(sequence % 7));
    }
}

void TestWorkload::tombstonesKeepTheKeyAndDropTheValue()
{
    WorkloadSpec spec;
    spec.keys = KeyDistribution::Sequential;
    spec.keyCount = 5;
    spec.keyPrefix = "customer-";
    GeneratedRecord record;
    Workload updates(spec, 1);
    updates.next(0, kStartMs, record);
    QVERIFY(!record.nullValue);
    spec.tombstones = true;
    Workload deletes(spec, 1);
    for (std::int64_t sequence = 0; sequence < 5; ++sequence) {
        deletes.next(sequence, kStartMs, record);
        QVERIFY(record.nullValue);
        QVERIFY(!record.nullKey);
        QCOMPARE(qs(record.key), QStringLiteral("customer-%1").arg(sequence));
    }
}

void TestWorkload::uniformKeysCoverTheKeySpace()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::FixedBytes;
    spec.keys = KeyDistribution::Uniform;
    spec.keyCount = 100;
    std::map<std::string, int> counts;
    for (const GeneratedRecord& record : generate(spec, 2, 20000))
        ++counts[record.key];
    QCOMPARE(counts.size(), std::size_t { 100 });
    for (const auto& [key, n] : counts)
        QVERIFY2(n > 120 && n < 280, key.c_str()); // expected 200 each
    QVERIFY(counts.count("key-0") && counts.count("key-99"));
}

void TestWorkload::zipfKeysAreHot()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::Orders;
    spec.keyCount = 100;
    spec.keys = KeyDistribution::Uniform;
    const double uniformShare = hottestKeyShare(spec, 10000);
    spec.keys = KeyDistribution::Zipf;
    spec.zipfExponent = 1.1;
    const double zipfShare = hottestKeyShare(spec, 10000);
    // Zipf(100, 1.1) gives rank 1 about 21 % of the traffic; uniform gives each key about 1 %.
    QVERIFY2(zipfShare > 0.15 && zipfShare < 0.28, qPrintable(QString::number(zipfShare)));
    QVERIFY2(zipfShare > 5 * uniformShare, qPrintable(QStringLiteral("%1 vs %2").arg(zipfShare).arg(uniformShare)));

    // The hottest key is rank 1, "customer-0".
    std::map<std::string, int> counts;
    for (const GeneratedRecord& record : generate(spec, 5, 5000))
        ++counts[record.key];
    const auto hottest = std::max_element(counts.begin(), counts.end(),
        [](const auto& left, const auto& right) { return left.second < right.second; });
    QCOMPARE(qs(hottest->first), QStringLiteral("customer-0"));
}

void TestWorkload::customPrefixStaysValidJson_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addRow("plain") << QStringLiteral("acct-");
    QTest::addRow("quote and backslash") << QStringLiteral("we\"ird\\-");
    QTest::addRow("control character") << QStringLiteral("tab\t-");
    QTest::addRow("non-ASCII") << QStringLiteral("kunde-\u00e4-");
}

void TestWorkload::customPrefixStaysValidJson()
{
    QFETCH(QString, prefix);
    for (const auto kind : { WorkloadKind::Orders, WorkloadKind::RideRequests, WorkloadKind::PageViews,
             WorkloadKind::LogLines, WorkloadKind::SensorMetrics }) {
        WorkloadSpec spec;
        spec.kind = kind;
        spec.keyPrefix = prefix.toStdString();
        for (const GeneratedRecord& record : generate(spec, 4, 50)) {
            QString error;
            const QJsonObject object = parseObject(record.value, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error + QStringLiteral(": ") + qs(record.value)));
            QVERIFY(qs(record.key).startsWith(prefix));
            QCOMPARE(object.value(shapeOf(kind).idField).toString(), qs(record.key));
        }
    }
}

void TestWorkload::fixedBytesExactSize_data()
{
    QTest::addColumn<int>("valueBytes");
    for (const int size : { 0, 1, 10, 100, 1000, 16384, 65536, 1'000'000 })
        QTest::addRow("%d bytes", size) << size;
    QTest::addRow("negative means empty") << -5;
}

void TestWorkload::fixedBytesExactSize()
{
    QFETCH(int, valueBytes);
    WorkloadSpec spec;
    spec.kind = WorkloadKind::FixedBytes;
    spec.keys = KeyDistribution::Null;
    spec.valueBytes = valueBytes;
    spec.headers = true; // ignored for bytes: the benchmark path carries no headers
    const std::vector<GeneratedRecord> records = generate(spec, 6, 200);
    std::set<std::string> distinct;
    for (const GeneratedRecord& record : records) {
        QCOMPARE(record.value.size(), static_cast<std::size_t>(std::max(valueBytes, 0)));
        QVERIFY(std::all_of(record.value.begin(), record.value.end(), [](char c) { return c > 0x20 && c < 0x7f; }));
        QVERIFY(record.headers.empty());
        QVERIFY(record.nullKey && record.key.empty());
        distinct.insert(record.value);
    }
    if (valueBytes >= 8)
        QCOMPARE(distinct.size(), records.size()); // not one value repeated
}

void TestWorkload::fixedBytesReusesBuffers()
{
    // The benchmark path must not allocate per record: after the first record, the key and value
    // buffers are the same memory every time.
    WorkloadSpec spec;
    spec.kind = WorkloadKind::FixedBytes;
    spec.keys = KeyDistribution::Uniform;
    spec.keyCount = 1000;
    spec.valueBytes = 512;
    Workload workload(spec, 8);
    GeneratedRecord record;
    workload.next(0, kStartMs, record);
    record.key.reserve(32);
    const char* value = record.value.data();
    const char* key = record.key.data();
    for (int i = 1; i < 10000; ++i) {
        workload.next(i, kStartMs + i, record);
        QCOMPARE(record.value.size(), std::size_t { 512 });
        QVERIFY(record.value.data() == value);
        QVERIFY(record.key.data() == key);
        QVERIFY(qs(record.key).startsWith(QStringLiteral("key-")));
    }
}

void TestWorkload::fixedBytesKeys_data()
{
    // Small key spaces use pre-formatted keys, large ones format each key: both must agree.
    QTest::addColumn<qint64>("keyCount");
    QTest::addColumn<int>("keys");
    QTest::addColumn<QString>("prefix");
    for (const qint64 count :
        { Q_INT64_C(1), Q_INT64_C(100), Q_INT64_C(65536), Q_INT64_C(65537), Q_INT64_C(10'000'000) }) {
        QTest::addRow("%lld keys, sequential", count) << count << static_cast<int>(KeyDistribution::Sequential)
                                                      << QStringLiteral("key-");
        QTest::addRow("%lld keys, uniform", count) << count << static_cast<int>(KeyDistribution::Uniform)
                                                   << QStringLiteral("k");
    }
    QTest::addRow("zipf over 100000 keys") << Q_INT64_C(100000) << static_cast<int>(KeyDistribution::Zipf)
                                           << QStringLiteral("hot-");
}

void TestWorkload::fixedBytesKeys()
{
    QFETCH(qint64, keyCount);
    QFETCH(int, keys);
    QFETCH(QString, prefix);
    WorkloadSpec spec;
    spec.kind = WorkloadKind::FixedBytes;
    spec.keys = static_cast<KeyDistribution>(keys);
    spec.keyCount = keyCount;
    spec.keyPrefix = prefix.toStdString();
    Workload workload(spec, 15);
    GeneratedRecord record;
    for (const qint64 sequence : { 0, 1, 2, 65535, 65536, 65537, 9'999'999, 10'000'000, 12'345'678 }) {
        workload.next(sequence, kStartMs, record);
        QVERIFY(!record.nullKey);
        QVERIFY2(qs(record.key).startsWith(prefix), record.key.c_str());
        bool ok = false;
        const qint64 number = qs(record.key).mid(prefix.size()).toLongLong(&ok);
        QVERIFY2(ok && number >= 0 && number < keyCount, record.key.c_str());
        if (spec.keys == KeyDistribution::Sequential)
            QCOMPARE(number, sequence % keyCount);
    }
}

void TestWorkload::ordersAddUp()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::Orders;
    spec.keyCount = 20;
    std::map<QString, QString> currencyOf;
    std::set<QString> statuses;
    for (const GeneratedRecord& record : generate(spec, 10, 1000)) {
        QString error;
        const QJsonObject order = parseObject(record.value, &error);
        const QJsonArray items = order.value(QStringLiteral("items")).toArray();
        QVERIFY(items.size() >= 1 && items.size() <= 5);
        qint64 totalCents = 0;
        std::set<QString> skus;
        for (const QJsonValue& item : items) {
            const QJsonObject line = item.toObject();
            const qint64 quantity = line.value(QStringLiteral("qty")).toInteger();
            const double price = line.value(QStringLiteral("price")).toDouble();
            QVERIFY(quantity >= 1 && price > 0.0);
            totalCents += quantity * qRound64(price * 100);
            skus.insert(line.value(QStringLiteral("sku")).toString());
            QVERIFY(line.value(QStringLiteral("sku")).toString().startsWith(QStringLiteral("SKU-")));
        }
        QCOMPARE(qRound64(order.value(QStringLiteral("total")).toDouble() * 100), totalCents);
        QVERIFY(skus.size() == static_cast<std::size_t>(items.size()) || items.size() > 3); // rare repeats only
        QVERIFY(order.value(QStringLiteral("order_id")).toString().startsWith(QStringLiteral("o-")));
        // A customer always pays in the same currency.
        const QString customer = order.value(QStringLiteral("customer_id")).toString();
        const QString currency = order.value(QStringLiteral("currency")).toString();
        QVERIFY(currencyOf.try_emplace(customer, currency).first->second == currency);
        statuses.insert(order.value(QStringLiteral("status")).toString());
    }
    QVERIFY(statuses.count(QStringLiteral("created")) && statuses.size() >= 4);
    QCOMPARE(qs(generate(spec, 10, 124)[123].value).section(QLatin1Char('"'), 3, 3), QStringLiteral("o-000123"));
}

void TestWorkload::ridesStartInTheRidersCity()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::RideRequests;
    spec.keyCount = 30;
    std::map<QString, QString> cityOf;
    std::map<QString, std::pair<double, double>> centre;
    std::map<QString, int> classes;
    for (const GeneratedRecord& record : generate(spec, 11, 2000)) {
        QString error;
        const QJsonObject ride = parseObject(record.value, &error);
        const QString city = ride.value(QStringLiteral("city")).toString();
        QVERIFY(cityOf.try_emplace(qs(record.key), city).first->second == city);
        const QJsonObject pickup = ride.value(QStringLiteral("pickup")).toObject();
        const QJsonObject dropoff = ride.value(QStringLiteral("dropoff")).toObject();
        const double latitude = pickup.value(QStringLiteral("lat")).toDouble();
        const double longitude = pickup.value(QStringLiteral("lon")).toDouble();
        QVERIFY(std::abs(latitude) <= 90 && std::abs(longitude) <= 180);
        // Pickups of one city cluster within a few tens of kilometres.
        const auto [first, inserted] = centre.try_emplace(city, latitude, longitude);
        if (!inserted)
            QVERIFY2(std::abs(first->second.first - latitude) < 0.5, qPrintable(qs(record.value)));
        QVERIFY(std::abs(dropoff.value(QStringLiteral("lat")).toDouble() - latitude) < 1.0);
        const double surge = ride.value(QStringLiteral("surge")).toDouble();
        QVERIFY(surge >= 1.0 && surge <= 2.5);
        ++classes[ride.value(QStringLiteral("vehicle_class")).toString()];
    }
    QVERIFY(classes[QStringLiteral("economy")] > classes[QStringLiteral("black")]);
}

void TestWorkload::pageViewsLookLikeASite()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::PageViews;
    spec.keyCount = 40;
    std::map<QString, QString> browserOf;
    int direct = 0;
    int products = 0;
    for (const GeneratedRecord& record : generate(spec, 12, 2000)) {
        QString error;
        const QJsonObject view = parseObject(record.value, &error);
        const QString url = view.value(QStringLiteral("url")).toString();
        QVERIFY(url.startsWith(QLatin1Char('/')));
        products += url.startsWith(QStringLiteral("/product/")) ? 1 : 0;
        const QJsonValue referrer = view.value(QStringLiteral("referrer"));
        if (referrer.isNull())
            ++direct;
        else
            QVERIFY(referrer.toString().startsWith(QStringLiteral("https://")));
        const QString browser = view.value(QStringLiteral("user_agent")).toString();
        QVERIFY(browserOf.try_emplace(qs(record.key), browser).first->second == browser);
        const double duration = view.value(QStringLiteral("duration_ms")).toDouble();
        QVERIFY(duration >= 300 && duration <= 1'800'000);
    }
    QVERIFY(direct > 400 && direct < 1000); // about a third
    QVERIFY(products > 400); // the most visited page type
}

void TestWorkload::logLevelsHaveRealisticShares()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::LogLines;
    spec.keyCount = 8;
    std::map<QString, int> levels;
    for (const GeneratedRecord& record : generate(spec, 13, 5000)) {
        QString error;
        const QJsonObject line = parseObject(record.value, &error);
        ++levels[line.value(QStringLiteral("level")).toString()];
        // The value's trace id is the one in the header, so a trace can be followed either way.
        QCOMPARE(line.value(QStringLiteral("trace_id")).toString(), qs(record.headers[1].value.value_or("")));
        QVERIFY(!line.value(QStringLiteral("message")).toString().isEmpty());
    }
    const int info = levels[QStringLiteral("INFO")];
    const int debug = levels[QStringLiteral("DEBUG")];
    const int warn = levels[QStringLiteral("WARN")];
    const int errors = levels[QStringLiteral("ERROR")];
    QVERIFY(info > 3000);
    QVERIFY(info > debug && debug > warn && warn > errors && errors > 0);
}

void TestWorkload::sensorsHaveStableBaselines()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::SensorMetrics;
    spec.keys = KeyDistribution::Sequential;
    spec.keyCount = 10;
    std::map<QString, std::vector<double>> temperatures;
    for (const GeneratedRecord& record : generate(spec, 14, 3000)) {
        QString error;
        const QJsonObject metric = parseObject(record.value, &error);
        temperatures[qs(record.key)].push_back(metric.value(QStringLiteral("temperature_c")).toDouble());
        const double humidity = metric.value(QStringLiteral("humidity_pct")).toDouble();
        QVERIFY(humidity >= 0 && humidity <= 100);
        const double battery = metric.value(QStringLiteral("battery_pct")).toDouble();
        QVERIFY(battery > 0 && battery <= 100);
    }
    QCOMPARE(temperatures.size(), std::size_t { 10 });
    std::vector<double> means;
    for (const auto& [device, values] : temperatures) {
        double sum = 0;
        for (double value : values)
            sum += value;
        const double mean = sum / static_cast<double>(values.size());
        double squares = 0;
        for (double value : values)
            squares += (value - mean) * (value - mean);
        // Readings wander around the device's own baseline (noise, a slow daily swing, rare spikes).
        QVERIFY2(std::sqrt(squares / static_cast<double>(values.size())) < 1.5, qPrintable(device));
        QVERIFY(mean > 10 && mean < 35);
        means.push_back(mean);
    }
    const auto [coolest, warmest] = std::minmax_element(means.begin(), means.end());
    QVERIFY(*warmest - *coolest > 1.0); // devices differ from each other
}

// Every third record is framed as Confluent Avro; the others are exactly the records without poison.
void TestWorkload::poisonRecordsAreAvroFramed()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::Orders;
    const std::vector<GeneratedRecord> plain = generate(spec, 3, 30);
    spec.poisonEvery = 3;
    const std::vector<GeneratedRecord> poisoned = generate(spec, 3, 30);
    std::set<std::string> values;
    for (std::size_t i = 0; i < poisoned.size(); ++i) {
        const GeneratedRecord& record = poisoned[i];
        QCOMPARE(qs(record.key), qs(plain[i].key));
        QVERIFY(values.insert(record.value).second); // unique, so the history checker tells them apart
        const bool poison = i % 3 == 2;
        const auto rejected = whyUndeserializable(ValueDeserializer::Json, record.value);
        QCOMPARE(rejected.has_value(), poison);
        QVERIFY(!whyUndeserializable(ValueDeserializer::String, record.value));
        if (!poison) {
            QCOMPARE(qs(record.value), qs(plain[i].value));
            continue;
        }
        QCOMPARE(record.value.substr(0, 5), std::string("\0\0\0\0\x07", 5)); // magic byte 0, schema id 7
        QVERIFY(record.value.ends_with(plain[i].value));
        QCOMPARE(qs(record.headers.at(0).value.value_or("")), QStringLiteral("application/vnd.apache.avro+binary"));
    }
}

void TestWorkload::logLinesKeyedByHost()
{
    WorkloadSpec spec;
    spec.kind = WorkloadKind::LogLines;
    spec.keyCount = 12;
    spec.keyByHost = true;
    std::map<QString, QString> serviceOfHost;
    for (const GeneratedRecord& record : generate(spec, 8, 300)) {
        QString error;
        const QJsonObject object = parseObject(record.value, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString key = qs(record.key);
        QVERIFY2(key.startsWith(QStringLiteral("host-")) && key.mid(5).toInt() < 12, qPrintable(key));
        QCOMPARE(object.value(QStringLiteral("host")).toString(), key);
        // Each host runs one service.
        const QString service = object.value(QStringLiteral("service")).toString();
        QVERIFY(service.startsWith(QStringLiteral("service-")));
        const auto [it, inserted] = serviceOfHost.emplace(key, service);
        QCOMPARE(it->second, service);
    }
    QCOMPARE(serviceOfHost.size(), std::size_t(12));
}

QTEST_GUILESS_MAIN(TestWorkload)
#include "test_workload.moc"
