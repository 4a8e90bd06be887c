// The subscription and assignment bytes travel inside JoinGroup and SyncGroup between real
// clients and the lab: they must match Kafka's layout byte for byte, and hostile or broken bytes
// must give a clear error, never a crash.

#include "group/consumerprotocol.h"

#include <QTest>

#include <initializer_list>

using namespace brokerlab::group;

namespace {

// Builds bytes the way the schema describes them, independently of the encoder.
class Spec {
public:
    Spec& i16(int value)
    {
        bytes.push_back(static_cast<std::uint8_t>((value >> 8) & 0xff));
        bytes.push_back(static_cast<std::uint8_t>(value & 0xff));
        return *this;
    }
    Spec& i32(std::int64_t value)
    {
        const auto bits = static_cast<std::uint32_t>(value);
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<std::uint8_t>((bits >> shift) & 0xff));
        return *this;
    }
    Spec& str(const char* text)
    {
        const std::string value(text);
        i16(static_cast<int>(value.size()));
        bytes.insert(bytes.end(), value.begin(), value.end());
        return *this;
    }
    Spec& raw(std::initializer_list<std::uint8_t> values)
    {
        bytes.insert(bytes.end(), values);
        return *this;
    }
    Bytes bytes;
};

Subscription fullSubscription()
{
    Subscription subscription;
    subscription.topics = { "orders", "payments" };
    subscription.userData = Bytes { 1, 2, 3 };
    subscription.ownedPartitions = { { "orders", 0 }, { "orders", 2 }, { "payments", 1 } };
    subscription.generationId = 7;
    subscription.rackId = std::string("rack-a");
    return subscription;
}

} // namespace

class TestConsumerProtocol : public QObject {
    Q_OBJECT

private slots:
    void subscriptionRoundTrip_data();
    void subscriptionRoundTrip();
    void assignmentRoundTrip_data();
    void assignmentRoundTrip();
    void subscriptionFromSpecBytes();
    void assignmentFromSpecBytes();
    void newerVersionsReadAsKnownPrefix();
    void emptyAssignmentIsNoPartitions();
    void nullsAndEmptiesAreDistinct();
    void malformedSubscription_data();
    void malformedSubscription();
    void malformedAssignment_data();
    void malformedAssignment();
    void everyTruncationFailsCleanly();
};

void TestConsumerProtocol::subscriptionRoundTrip_data()
{
    QTest::addColumn<int>("version");
    for (int version = 0; version <= kConsumerProtocolVersion; ++version)
        QTest::addRow("v%d", version) << version;
}

void TestConsumerProtocol::subscriptionRoundTrip()
{
    QFETCH(int, version);
    const Subscription original = fullSubscription();
    const Bytes bytes = encodeSubscription(original, static_cast<std::int16_t>(version));
    QCOMPARE((bytes[0] << 8) | bytes[1], version);
    std::string error;
    const std::optional<Subscription> decoded = decodeSubscription(bytes, &error);
    QVERIFY2(decoded, error.c_str());
    QVERIFY(decoded->topics == original.topics);
    QVERIFY(decoded->userData == original.userData);
    // Fields newer than the version come back as their defaults.
    QVERIFY(decoded->ownedPartitions == (version >= 1 ? original.ownedPartitions : std::vector<TopicPartition> {}));
    QCOMPARE(decoded->generationId, version >= 2 ? original.generationId : -1);
    QVERIFY(decoded->rackId == (version >= 3 ? original.rackId : std::nullopt));
}

void TestConsumerProtocol::assignmentRoundTrip_data()
{
    QTest::addColumn<int>("version");
    for (int version = 0; version <= kConsumerProtocolVersion; ++version)
        QTest::addRow("v%d", version) << version;
}

void TestConsumerProtocol::assignmentRoundTrip()
{
    QFETCH(int, version);
    MemberAssignment original;
    original.partitions = { { "a", 3 }, { "a", 1 }, { "b", 0 } };
    original.userData = Bytes { 9 };
    const Bytes bytes = encodeAssignment(original, static_cast<std::int16_t>(version));
    std::string error;
    const std::optional<MemberAssignment> decoded = decodeAssignment(bytes, &error);
    QVERIFY2(decoded, error.c_str());
    QVERIFY(decoded->partitions == original.partitions);
    QVERIFY(decoded->userData == original.userData);
}

void TestConsumerProtocol::subscriptionFromSpecBytes()
{
    // v3: topics ["t"], user_data null, owned [{t, [0, 2]}], generation 5, rack "r1".
    Spec spec;
    spec.i16(3).i32(1).str("t").i32(-1).i32(1).str("t").i32(2).i32(0).i32(2).i32(5).str("r1");
    const std::optional<Subscription> decoded = decodeSubscription(spec.bytes);
    QVERIFY(decoded);
    QVERIFY(decoded->topics == std::vector<std::string> { "t" });
    QVERIFY(!decoded->userData);
    const std::vector<TopicPartition> owned { { "t", 0 }, { "t", 2 } };
    QVERIFY(decoded->ownedPartitions == owned);
    QCOMPARE(decoded->generationId, 5);
    QVERIFY(decoded->rackId == std::optional<std::string>("r1"));

    // And the encoder writes exactly those bytes.
    Subscription subscription;
    subscription.topics = { "t" };
    subscription.ownedPartitions = owned;
    subscription.generationId = 5;
    subscription.rackId = std::string("r1");
    QVERIFY(encodeSubscription(subscription, 3) == spec.bytes);

    // v0 as an old client writes it: topics and empty (not null) user data.
    Spec v0;
    v0.i16(0).i32(2).str("x").str("y").i32(0);
    const std::optional<Subscription> old = decodeSubscription(v0.bytes);
    QVERIFY(old);
    QVERIFY((old->topics == std::vector<std::string> { "x", "y" }));
    QVERIFY(old->userData == std::optional<Bytes>(Bytes {}));
    QCOMPARE(old->generationId, -1);
}

void TestConsumerProtocol::assignmentFromSpecBytes()
{
    // v1: [{a, [1]}, {b, [0, 4]}], user_data 0x2a.
    Spec spec;
    spec.i16(1).i32(2).str("a").i32(1).i32(1).str("b").i32(2).i32(0).i32(4).i32(1).raw({ 0x2a });
    const std::optional<MemberAssignment> decoded = decodeAssignment(spec.bytes);
    QVERIFY(decoded);
    const std::vector<TopicPartition> expected { { "a", 1 }, { "b", 0 }, { "b", 4 } };
    QVERIFY(decoded->partitions == expected);
    QVERIFY(decoded->userData == std::optional<Bytes>(Bytes { 0x2a }));
    MemberAssignment assignment { expected, Bytes { 0x2a } };
    QVERIFY(encodeAssignment(assignment, 1) == spec.bytes);
}

void TestConsumerProtocol::newerVersionsReadAsKnownPrefix()
{
    // A v9 subscription from a future client: our v3 fields, then a field we do not know.
    Spec spec;
    spec.i16(9).i32(1).str("t").i32(-1).i32(0).i32(4).i16(-1).raw({ 0xde, 0xad });
    std::string error;
    const std::optional<Subscription> decoded = decodeSubscription(spec.bytes, &error);
    QVERIFY2(decoded, error.c_str());
    QCOMPARE(decoded->generationId, 4);
    QVERIFY(!decoded->rackId);

    Spec assignment;
    assignment.i16(5).i32(0).i32(-1).raw({ 1, 2, 3 });
    QVERIFY(decodeAssignment(assignment.bytes));

    // Asking the encoder for a version it does not know writes the newest one it does.
    QCOMPARE(encodeSubscription(fullSubscription(), 42), encodeSubscription(fullSubscription(), kConsumerProtocolVersion));
}

void TestConsumerProtocol::emptyAssignmentIsNoPartitions()
{
    std::string error;
    const std::optional<MemberAssignment> decoded = decodeAssignment({}, &error);
    QVERIFY2(decoded, error.c_str());
    QVERIFY(decoded->partitions.empty());
    QVERIFY(!decoded->userData);
}

void TestConsumerProtocol::nullsAndEmptiesAreDistinct()
{
    Subscription subscription;
    subscription.userData = Bytes {};
    subscription.rackId = std::string();
    const std::optional<Subscription> decoded = decodeSubscription(encodeSubscription(subscription));
    QVERIFY(decoded);
    QVERIFY(decoded->userData && decoded->userData->empty());
    QVERIFY(decoded->rackId && decoded->rackId->empty());
    subscription.userData.reset();
    subscription.rackId.reset();
    const std::optional<Subscription> nulls = decodeSubscription(encodeSubscription(subscription));
    QVERIFY(nulls);
    QVERIFY(!nulls->userData);
    QVERIFY(!nulls->rackId);
}

void TestConsumerProtocol::malformedSubscription_data()
{
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("empty") << Bytes {} << QStringLiteral("version: truncated");
    QTest::addRow("half a version") << Bytes { 0 } << QStringLiteral("version: truncated");
    QTest::addRow("negative version") << Spec().i16(-1).i32(0).i32(-1).bytes << QStringLiteral("unsupported version -1");
    QTest::addRow("no topics array") << Spec().i16(0).bytes << QStringLiteral("topics: truncated");
    QTest::addRow("null topics") << Spec().i16(0).i32(-1).i32(-1).bytes << QStringLiteral("topics: null array");
    QTest::addRow("negative topic count") << Spec().i16(0).i32(-7).bytes << QStringLiteral("invalid array length -7");
    QTest::addRow("absurd topic count") << Spec().i16(0).i32(0x7fffffff).str("t").bytes
                                        << QStringLiteral("array length 2147483647 cannot fit");
    QTest::addRow("null topic name") << Spec().i16(0).i32(1).i16(-1).i32(-1).bytes
                                     << QStringLiteral("topic name: null");
    QTest::addRow("negative topic name length")
        << Spec().i16(0).i32(1).i16(-5).bytes << QStringLiteral("invalid string length -5");
    QTest::addRow("topic name past the end") << Spec().i16(0).i32(1).i16(10).raw({ 'a', 'b' }).bytes
                                             << QStringLiteral("topic name: truncated, needs 10 bytes but only 2");
    QTest::addRow("missing user data") << Spec().i16(0).i32(1).str("t").bytes << QStringLiteral("user_data: truncated");
    QTest::addRow("negative user data length")
        << Spec().i16(0).i32(0).i32(-2).bytes << QStringLiteral("user_data: invalid byte length -2");
    QTest::addRow("user data past the end")
        << Spec().i16(0).i32(0).i32(100).raw({ 1 }).bytes << QStringLiteral("user_data: truncated");
    QTest::addRow("v1 without owned partitions")
        << Spec().i16(1).i32(0).i32(-1).bytes << QStringLiteral("owned_partitions: truncated");
    QTest::addRow("absurd owned partition count")
        << Spec().i16(1).i32(0).i32(-1).i32(1).str("t").i32(100000).i32(0).bytes
        << QStringLiteral("partition array: array length 100000 cannot fit");
    QTest::addRow("null partition array")
        << Spec().i16(1).i32(0).i32(-1).i32(1).str("t").i32(-1).bytes << QStringLiteral("partition array: null array");
    QTest::addRow("v2 without generation")
        << Spec().i16(2).i32(0).i32(-1).i32(0).raw({ 0, 0 }).bytes << QStringLiteral("generation_id: truncated");
    QTest::addRow("v3 without rack") << Spec().i16(3).i32(0).i32(-1).i32(0).i32(1).bytes
                                     << QStringLiteral("rack_id: truncated");
    QTest::addRow("negative rack length") << Spec().i16(3).i32(0).i32(-1).i32(0).i32(1).i16(-3).bytes
                                          << QStringLiteral("rack_id: invalid string length -3");
}

void TestConsumerProtocol::malformedSubscription()
{
    QFETCH(Bytes, bytes);
    QFETCH(QString, mentions);
    std::string error;
    QVERIFY(!decodeSubscription(bytes, &error));
    QVERIFY2(QString::fromStdString(error).contains(mentions), error.c_str());
    QVERIFY2(error.rfind("ConsumerProtocolSubscription", 0) == 0, error.c_str());
    QVERIFY(!decodeSubscription(bytes)); // no error sink: still just a clean failure
}

void TestConsumerProtocol::malformedAssignment_data()
{
    QTest::addColumn<Bytes>("bytes");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("half a version") << Bytes { 0 } << QStringLiteral("version: truncated");
    QTest::addRow("negative version") << Spec().i16(-2).i32(0).i32(-1).bytes << QStringLiteral("unsupported version -2");
    QTest::addRow("no partitions array") << Spec().i16(0).bytes << QStringLiteral("assigned_partitions: truncated");
    QTest::addRow("null partitions array")
        << Spec().i16(0).i32(-1).i32(-1).bytes << QStringLiteral("assigned_partitions: null array");
    QTest::addRow("absurd topic count")
        << Spec().i16(0).i32(1 << 30).bytes << QStringLiteral("assigned_partitions: array length 1073741824 cannot fit");
    QTest::addRow("partition array past the end") << Spec().i16(0).i32(1).str("t").i32(1).raw({ 0, 0 }).bytes
                                                  << QStringLiteral("partition array: array length 1 cannot fit");
    QTest::addRow("missing user data") << Spec().i16(0).i32(0).bytes << QStringLiteral("user_data: truncated");
    QTest::addRow("negative user data length")
        << Spec().i16(0).i32(0).i32(-9).bytes << QStringLiteral("user_data: invalid byte length -9");
}

void TestConsumerProtocol::malformedAssignment()
{
    QFETCH(Bytes, bytes);
    QFETCH(QString, mentions);
    std::string error;
    QVERIFY(!decodeAssignment(bytes, &error));
    QVERIFY2(QString::fromStdString(error).contains(mentions), error.c_str());
    QVERIFY2(error.rfind("ConsumerProtocolAssignment", 0) == 0, error.c_str());
}

void TestConsumerProtocol::everyTruncationFailsCleanly()
{
    // Cutting a valid message anywhere gives an error naming a truncated field, never a crash or
    // a half-filled result.
    for (int version = 0; version <= kConsumerProtocolVersion; ++version) {
        const Bytes whole = encodeSubscription(fullSubscription(), static_cast<std::int16_t>(version));
        for (std::size_t length = 0; length < whole.size(); ++length) {
            std::string error;
            QVERIFY(!decodeSubscription(std::span<const std::uint8_t>(whole.data(), length), &error));
            QVERIFY2(error.find("truncated") != std::string::npos, error.c_str());
        }
        MemberAssignment assignment { fullSubscription().ownedPartitions, Bytes { 4, 5 } };
        const Bytes wholeAssignment = encodeAssignment(assignment, static_cast<std::int16_t>(version));
        for (std::size_t length = 1; length < wholeAssignment.size(); ++length) {
            std::string error;
            QVERIFY(!decodeAssignment(std::span<const std::uint8_t>(wholeAssignment.data(), length), &error));
            QVERIFY2(error.find("truncated") != std::string::npos, error.c_str());
        }
    }
}

QTEST_GUILESS_MAIN(TestConsumerProtocol)
#include "test_consumerprotocol.moc"
