#include "check/history.h"
#include "check/recordhash.h"
#include "historyfixtures.h"

#include <QTest>

#include <string>
#include <vector>

using namespace brokerlab::check;
using historytest::Counts;
using historytest::countsOf;
using historytest::Injection;
using historytest::Log;

namespace {

const TopicPartition kOrders0 { "orders", 0 };
const TopicPartition kOrders1 { "orders", 1 };

// Record i: key "key-(i % 3)" and value "v<i>", so records 0, 3, 6, ... share a key.
std::string keyOf(int i) { return "key-" + std::to_string(i % 3); }
std::uint64_t hashOf(int i) { return recordHash(keyOf(i), "v" + std::to_string(i)); }

// A log holding record records[k] at offset first + k.
Log logOf(std::initializer_list<int> records, std::int64_t first = 0)
{
    Log log;
    for (int record : records)
        log.emplace_back(first + std::int64_t(log.size()), hashOf(record));
    return log;
}

Log range(int from, int to) // records from..to-1 at offsets from..to-1
{
    Log log;
    for (int i = from; i < to; ++i)
        log.emplace_back(i, hashOf(i));
    return log;
}

void ack(History& history, int record, std::int64_t offset, const TopicPartition& tp = kOrders0,
    std::string_view producer = "producer-1")
{
    history.sendAcked(tp, offset, hashOf(record), producer, keyOf(record), record);
}

void read(History& history, int record, std::int64_t offset, const TopicPartition& tp = kOrders0,
    std::string_view consumer = "consumer-1")
{
    history.consumed(tp, offset, hashOf(record), consumer, keyOf(record));
}

// Records 0..count-1 acknowledged at their own offsets and read in order.
void produceAndRead(History& history, int count, const TopicPartition& tp = kOrders0)
{
    for (int i = 0; i < count; ++i)
        ack(history, i, i, tp);
    for (int i = 0; i < count; ++i)
        read(history, i, i, tp);
}

// Broker 1 leads; brokers 2 and 3 follow with the leader's log unless told otherwise.
void replicas(History& history, const Log& leader, std::int64_t highWatermark, std::int64_t logStart = 0,
    const TopicPartition& tp = kOrders0)
{
    history.finalLog(tp, 1, true, leader, highWatermark, logStart);
    history.finalLog(tp, 2, false, leader, highWatermark, logStart);
    history.finalLog(tp, 3, false, leader, highWatermark, logStart);
}

using Scenario = void (*)(History&, CheckOptions&);

void clean(History& h, CheckOptions&)
{
    produceAndRead(h, 10);
    replicas(h, range(0, 10), 10);
}

void cleanInterleaved(History& h, CheckOptions&)
{
    // Two producers and two partitions interleave; one consumer reads both partitions by turns.
    for (int i = 0; i < 6; ++i) {
        ack(h, i, i, kOrders0, i % 2 ? "producer-1" : "producer-2");
        ack(h, 100 + i, i, kOrders1, i % 2 ? "producer-2" : "producer-1");
    }
    for (int i = 0; i < 6; ++i) {
        read(h, i, i, kOrders0);
        read(h, 100 + i, i, kOrders1);
    }
    replicas(h, range(0, 6), 6);
    replicas(h, logOf({ 100, 101, 102, 103, 104, 105 }), 6, 0, kOrders1);
}

void cleanOtherProducerInterleavesKey(History& h, CheckOptions&)
{
    // Record 3 of producer-2 lands before record 0 of producer-1 with the same key: no order is promised
    // between producers.
    h.sendAcked(kOrders0, 0, hashOf(3), "producer-2", keyOf(3), 0);
    h.sendAcked(kOrders0, 1, hashOf(0), "producer-1", keyOf(0), 0);
    replicas(h, logOf({ 3, 0 }), 2);
}

void cleanTwoConsumers(History& h, CheckOptions&)
{
    for (int i = 0; i < 7; ++i)
        ack(h, i, i);
    for (int i = 0; i < 7; ++i) {
        read(h, i, i, kOrders0, "consumer-2");
        if (i < 4)
            read(h, i, i, kOrders0, "consumer-1");
    }
    replicas(h, range(0, 7), 7);
}

void cleanTransactionMarkers(History& h, CheckOptions&)
{
    // Offsets 3 and 4 hold transaction markers: in no log image, never read, no skip.
    for (int i : { 0, 1, 2, 5, 6 }) {
        ack(h, i, i);
        read(h, i, i);
    }
    replicas(h, Log { { 0, hashOf(0) }, { 1, hashOf(1) }, { 2, hashOf(2) }, { 5, hashOf(5) }, { 6, hashOf(6) } }, 7);
}

void cleanCompacted(History& h, CheckOptions& options)
{
    // Every key's latest record survives compaction; the six older ones were read before it ran.
    options.compactedTopics.insert("orders");
    produceAndRead(h, 9);
    replicas(h, Log { { 6, hashOf(6) }, { 7, hashOf(7) }, { 8, hashOf(8) } }, 9);
}

void lostByTruncation(History& h, CheckOptions&)
{
    for (int i = 0; i < 10; ++i)
        ack(h, i, i);
    for (int i = 0; i < 7; ++i)
        read(h, i, i);
    replicas(h, range(0, 7), 7);
}

void uncleanElection(History& h, CheckOptions&)
{
    // acks=1: broker 1 acknowledged 0..9 and died; broker 2, out of sync at 7, was elected uncleanly and
    // took new records at 7..9. The acks and the reads of 7..9 now name offsets holding other records.
    produceAndRead(h, 10);
    for (int i = 0; i < 3; ++i)
        h.sendAcked(kOrders0, 7 + i, hashOf(100 + i), "producer-2", keyOf(100 + i), i);
    const Log log = logOf({ 0, 1, 2, 3, 4, 5, 6, 100, 101, 102 });
    h.finalLog(kOrders0, 2, true, log, 10, 0);
    h.finalLog(kOrders0, 3, false, log, 10, 0);
}

void compactedOffsetRewrittenBySameKey(History& h, CheckOptions& options)
{
    // An unclean election on a compacted topic: the new leader put another record of the same key at the
    // acknowledged offset. Compaction never moves a key's records, so this is loss, not supersession.
    options.compactedTopics.insert("orders");
    ack(h, 0, 0);
    h.sendAcked(kOrders0, 0, hashOf(3), "producer-2", keyOf(3), 0);
    replicas(h, logOf({ 3 }), 1);
}

void retryWrittenTwice(History& h, CheckOptions&)
{
    // Record 2's first attempt was written at 2 but its response was lost; the retry landed at 5.
    for (int i : { 0, 1, 3, 4 })
        ack(h, i, i);
    ack(h, 2, 5);
    const std::vector<int> logOrder { 0, 1, 2, 3, 4, 2 };
    for (std::size_t offset = 0; offset < logOrder.size(); ++offset)
        read(h, logOrder[offset], std::int64_t(offset));
    replicas(h, logOf({ 0, 1, 2, 3, 4, 2 }), 6);
}

void followersDivergeBelowHighWatermark(History& h, CheckOptions&)
{
    produceAndRead(h, 10);
    const Log leader = range(0, 12); // 10 and 11 are above the high watermark: not yet committed
    Log follower2 = leader;
    follower2[4].second = hashOf(40);
    follower2[5].second = hashOf(50);
    Log follower3 = leader;
    follower3[11].second = hashOf(110); // above the high watermark: may still be truncated, no anomaly
    h.finalLog(kOrders0, 1, true, leader, 10, 0);
    h.finalLog(kOrders0, 2, false, follower2, 10, 0);
    h.finalLog(kOrders0, 3, false, follower3, 10, 0);
}

void followersReportedBeforeLeader(History& h, CheckOptions&)
{
    produceAndRead(h, 10);
    Log follower = range(0, 10);
    follower[3].second = hashOf(30);
    h.finalLog(kOrders0, 2, false, follower, 10, 0);
    h.finalLog(kOrders0, 3, false, range(0, 10), 10, 0);
    h.finalLog(kOrders0, 1, true, range(0, 10), 10, 0);
}

void noLeader(History& h, CheckOptions&)
{
    // The partition is offline: the first replica given stands in for the leader.
    produceAndRead(h, 6);
    Log second = range(0, 6);
    second[2].second = hashOf(20);
    h.finalLog(kOrders0, 3, false, range(0, 6), 6, 0);
    h.finalLog(kOrders0, 1, false, second, 6, 0);
}

void zombieLeader(History& h, CheckOptions&)
{
    produceAndRead(h, 9);
    Log zombie = range(0, 9);
    zombie[8].second = hashOf(80);
    h.finalLog(kOrders0, 1, true, range(0, 9), 9, 0);
    h.finalLog(kOrders0, 2, true, zombie, 9, 0);
}

void keyOrderFlipped(History& h, CheckOptions&)
{
    // Records 3 and 6 share key-0; with retries and five requests in flight, 6 overtook 3.
    const std::vector<int> logOrder { 0, 1, 2, 6, 3, 4, 5 };
    for (std::size_t offset = 0; offset < logOrder.size(); ++offset)
        ack(h, logOrder[offset], std::int64_t(offset));
    for (std::size_t offset = 0; offset < logOrder.size(); ++offset)
        read(h, logOrder[offset], std::int64_t(offset));
    replicas(h, logOf({ 0, 1, 2, 6, 3, 4, 5 }), 7);
}

void nullKeyOrderFlipped(History& h, CheckOptions&)
{
    const auto value = [](int i) { return recordHash(std::nullopt, "n" + std::to_string(i)); };
    h.sendAcked(kOrders0, 0, value(0), "producer-1", std::nullopt, 0);
    h.sendAcked(kOrders0, 2, value(1), "producer-1", std::nullopt, 1);
    h.sendAcked(kOrders0, 1, value(2), "producer-1", std::nullopt, 2);
    replicas(h, Log { { 0, value(0) }, { 1, value(2) }, { 2, value(1) } }, 3);
}

void failedButWritten(History& h, CheckOptions&)
{
    for (int i : { 0, 1, 3, 4 })
        ack(h, i, i);
    h.sendFailed(kOrders0, hashOf(2), "producer-1"); // delivery.timeout.ms ran out, yet 2 was written
    h.sendFailed(kOrders0, hashOf(9), "producer-1"); // failed and never written: fine
    for (int i = 0; i < 5; ++i)
        read(h, i, i);
    replicas(h, range(0, 5), 5);
}

void failedReadThenTruncated(History& h, CheckOptions&)
{
    produceAndRead(h, 5);
    h.sendFailed(kOrders0, hashOf(5), "producer-1");
    read(h, 5, 5);
    replicas(h, range(0, 5), 5);
}

void pollSkip(History& h, CheckOptions&)
{
    for (int i = 0; i < 7; ++i)
        ack(h, i, i);
    for (int i : { 0, 1, 2, 5, 6 })
        read(h, i, i);
    replicas(h, range(0, 7), 7);
}

void rebalanceRereads(History& h, CheckOptions&)
{
    for (int i = 0; i < 7; ++i)
        ack(h, i, i);
    for (int i : { 0, 1, 2, 3, 4, 5, 3, 4, 5, 6 })
        read(h, i, i);
    replicas(h, range(0, 7), 7);
}

void tombstoneDropped(History& h, CheckOptions& options)
{
    // key-0 = v0, then its tombstone; past delete.retention.ms the cleaner dropped both.
    options.compactedTopics.insert("orders");
    ack(h, 0, 0);
    h.sendAcked(kOrders0, 1, recordHash(keyOf(0), std::nullopt), "producer-1", keyOf(0), 1);
    ack(h, 1, 2);
    replicas(h, Log { { 2, hashOf(1) } }, 3);
}

void supersededByAnUnacknowledgedRead(History& h, CheckOptions& options)
{
    // The later record of key-0 was sent with acks=0: only a consumer's read tells its key.
    options.compactedTopics.insert("orders");
    ack(h, 0, 0);
    h.sendUnknown(kOrders0, hashOf(3), "producer-1");
    read(h, 0, 0);
    read(h, 3, 1);
    replicas(h, Log { { 1, hashOf(3) } }, 2);
}

Counts counts(qint64 acked, std::initializer_list<std::pair<const char*, qint64>> anomalies = {})
{
    Counts c;
    c.acked = acked;
    for (const auto& [name, value] : anomalies) {
        const std::string_view n(name);
        qint64* field = n == "lost" ? &c.lost
            : n == "expired"        ? &c.expired
            : n == "superseded"     ? &c.superseded
            : n == "duplicated"     ? &c.duplicated
            : n == "inconsistent"   ? &c.inconsistent
            : n == "reordered"      ? &c.reordered
            : n == "failedButRead"  ? &c.failedButRead
            : n == "pollSkip"       ? &c.pollSkip
            : n == "nonMonotonic"   ? &c.nonMonotonicPoll
                                    : nullptr;
        if (!field)
            qFatal("unknown count %s", name);
        *field = value;
    }
    return c;
}

} // namespace

Q_DECLARE_METATYPE(Scenario)
Q_DECLARE_METATYPE(Counts)
Q_DECLARE_METATYPE(Injection)

class TestHistory : public QObject {
    Q_OBJECT

private slots:
    void scenarios_data();
    void scenarios();
    void expiredLostSuperseded_data();
    void expiredLostSuperseded();
    void inconsistentEvidenceCountsOncePerOffset();
    void examplesNameTheRecord();
    void examplesAreCapped_data();
    void examplesAreCapped();
    void describeSummarises();
    void randomizedInjection_data();
    void randomizedInjection();
    void millionRecords();
};

void TestHistory::scenarios_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<Counts>("expected");
    QTest::addRow("clean: one partition, three replicas") << &clean << counts(10);
    QTest::addRow("clean: producers and partitions interleave") << &cleanInterleaved << counts(12);
    QTest::addRow("clean: another producer's record of the key comes first")
        << &cleanOtherProducerInterleavesKey << counts(2);
    QTest::addRow("clean: two consumers read at their own pace") << &cleanTwoConsumers << counts(7);
    QTest::addRow("clean: transaction markers are gaps, not skips") << &cleanTransactionMarkers << counts(5);
    QTest::addRow("clean: compaction kept the latest per key") << &cleanCompacted << counts(9, { { "superseded", 6 } });
    QTest::addRow("lost: acked then truncated away") << &lostByTruncation << counts(10, { { "lost", 3 } });
    QTest::addRow("lost and inconsistent: unclean election reuses offsets")
        << &uncleanElection << counts(13, { { "lost", 3 }, { "inconsistent", 3 } });
    QTest::addRow("lost: compacted, the same key rewritten at the acknowledged offset")
        << &compactedOffsetRewrittenBySameKey << counts(2, { { "lost", 1 }, { "inconsistent", 1 } });
    QTest::addRow("duplicated: a retry written twice") << &retryWrittenTwice << counts(5, { { "duplicated", 1 } });
    QTest::addRow("inconsistent: a follower diverges below the high watermark")
        << &followersDivergeBelowHighWatermark << counts(10, { { "inconsistent", 2 } });
    QTest::addRow("inconsistent: followers reported before the leader")
        << &followersReportedBeforeLeader << counts(10, { { "inconsistent", 1 } });
    QTest::addRow("inconsistent: no leader, the first replica is the truth")
        << &noLeader << counts(6, { { "inconsistent", 1 } });
    QTest::addRow("inconsistent: a zombie leader") << &zombieLeader << counts(9, { { "inconsistent", 1 } });
    QTest::addRow("reordered: key order flipped") << &keyOrderFlipped << counts(7, { { "reordered", 1 } });
    QTest::addRow("reordered: null keys of one producer") << &nullKeyOrderFlipped << counts(3, { { "reordered", 1 } });
    QTest::addRow("failed but read: in the final log") << &failedButWritten << counts(4, { { "failedButRead", 1 } });
    QTest::addRow("failed but read: read, then truncated")
        << &failedReadThenTruncated << counts(5, { { "failedButRead", 1 } });
    QTest::addRow("poll skip") << &pollSkip << counts(7, { { "pollSkip", 1 } });
    QTest::addRow("non-monotonic poll: a rebalance rereads")
        << &rebalanceRereads << counts(7, { { "nonMonotonic", 1 } });
    QTest::addRow("superseded: a tombstone dropped after delete.retention.ms")
        << &tombstoneDropped << counts(3, { { "superseded", 2 } });
    QTest::addRow("superseded: the later record is known from a read")
        << &supersededByAnUnacknowledgedRead << counts(1, { { "superseded", 1 } });
}

void TestHistory::scenarios()
{
    QFETCH(Scenario, scenario);
    QFETCH(Counts, expected);
    History history;
    CheckOptions options;
    scenario(history, options);
    const CheckResult result = check(history, options);
    QCOMPARE(countsOf(result), expected);
    const bool ok
        = expected.lost == 0 && expected.duplicated == 0 && expected.inconsistent == 0 && expected.reordered == 0;
    QCOMPARE(result.ok(), ok);
    // Every counted anomaly comes with an example, up to the cap.
    for (const NamedCategory& named : categories(result))
        QCOMPARE(qint64(named.category->examples.size()), std::min<qint64>(named.category->count, 20));
}

void TestHistory::expiredLostSuperseded_data()
{
    QTest::addColumn<bool>("compacted");
    QTest::addColumn<QList<int>>("kept"); // records (and offsets) the final log still holds
    QTest::addColumn<int>("logStart");
    QTest::addColumn<int>("lost");
    QTest::addColumn<int>("expired");
    QTest::addColumn<int>("superseded");
    // Ten records 0..9 at offsets 0..9; keys repeat every three records.
    QTest::addRow("retention removed a prefix") << false << QList<int> { 5, 6, 7, 8, 9 } << 5 << 0 << 5 << 0;
    QTest::addRow("a hole above the log start is loss") << false << QList<int> { 5, 6, 8, 9 } << 5 << 1 << 5 << 0;
    QTest::addRow("compaction kept the latest per key") << true << QList<int> { 7, 8, 9 } << 0 << 0 << 0 << 7;
    QTest::addRow("the same log, not compacted, is loss") << false << QList<int> { 7, 8, 9 } << 0 << 7 << 0 << 0;
    QTest::addRow("a key's latest record gone is loss even when compacted")
        << true << QList<int> { 8, 9 } << 0 << 3 << 0 << 5;
    QTest::addRow("retention first, then compaction") << true << QList<int> { 7, 8, 9 } << 4 << 0 << 4 << 3;
    QTest::addRow("an empty log past retention") << false << QList<int> {} << 10 << 0 << 10 << 0;
}

void TestHistory::expiredLostSuperseded()
{
    QFETCH(bool, compacted);
    QFETCH(QList<int>, kept);
    QFETCH(int, logStart);
    QFETCH(int, lost);
    QFETCH(int, expired);
    QFETCH(int, superseded);
    History history;
    produceAndRead(history, 10);
    Log log;
    for (int record : kept)
        log.emplace_back(record, hashOf(record));
    replicas(history, log, 10, logStart);
    CheckOptions options;
    if (compacted)
        options.compactedTopics.insert("orders");
    const CheckResult result = check(history, options);
    QCOMPARE(result.lost.count, std::int64_t(lost));
    QCOMPARE(result.expired.count, std::int64_t(expired));
    QCOMPARE(result.superseded.count, std::int64_t(superseded));
    QCOMPARE(result.acked, std::int64_t(10));
    // Reads of records removed since are not inconsistent, and gaps are not skips.
    QCOMPARE(result.inconsistent.count, std::int64_t(0));
    QCOMPARE(result.pollSkip.count, std::int64_t(0));
}

void TestHistory::inconsistentEvidenceCountsOncePerOffset()
{
    History history;
    CheckOptions options;
    uncleanElection(history, options);
    const CheckResult result = check(history, options);
    QCOMPARE(result.inconsistent.count, std::int64_t(3));
    QCOMPARE(result.inconsistentAcks, std::int64_t(3));
    QCOMPARE(result.inconsistentReads, std::int64_t(3));
    QCOMPARE(result.inconsistentReplicas, std::int64_t(0));
    QCOMPARE(result.inconsistent.examples.size(), std::size_t(3));
    QCOMPARE(result.inconsistent.examples[0].offsets, std::vector<std::int64_t> { 7 });
    QCOMPARE(result.inconsistent.examples[0].actor, std::string("producer-1"));
}

void TestHistory::examplesNameTheRecord()
{
    History history;
    CheckOptions options;
    lostByTruncation(history, options);
    const CheckResult result = check(history, options);
    QCOMPARE(result.lost.examples.size(), std::size_t(3));
    const Example& first = result.lost.examples[0];
    QCOMPARE(first.topicPartition, kOrders0);
    QCOMPARE(first.offsets, std::vector<std::int64_t> { 7 });
    QCOMPARE(first.actor, std::string("producer-1"));
    QVERIFY2(first.text.find("offset 7 of orders-0") != std::string::npos, first.text.c_str());

    History retried;
    retryWrittenTwice(retried, options);
    const CheckResult duplicated = check(retried, options);
    QCOMPARE(duplicated.duplicated.examples.size(), std::size_t(1));
    QCOMPARE(duplicated.duplicated.examples[0].offsets, (std::vector<std::int64_t> { 2, 5 }));
    QCOMPARE(duplicated.duplicated.examples[0].actor, std::string("producer-1"));

    History reordered;
    keyOrderFlipped(reordered, options);
    const CheckResult reorder = check(reordered, options);
    QCOMPARE(reorder.reordered.examples.size(), std::size_t(1));
    QCOMPARE(reorder.reordered.examples[0].offsets, (std::vector<std::int64_t> { 3, 4 }));
    QVERIFY2(reorder.reordered.examples[0].text.find("#6 after #3") != std::string::npos,
        reorder.reordered.examples[0].text.c_str());
}

void TestHistory::examplesAreCapped_data()
{
    QTest::addColumn<int>("maxExamples");
    QTest::addRow("none") << 0;
    QTest::addRow("five") << 5;
    QTest::addRow("the default twenty") << 20;
}

void TestHistory::examplesAreCapped()
{
    QFETCH(int, maxExamples);
    History history;
    for (int i = 0; i < 50; ++i)
        ack(history, i, i);
    replicas(history, {}, 0);
    CheckOptions options;
    options.maxExamples = static_cast<std::size_t>(maxExamples);
    const CheckResult result = check(history, options);
    QCOMPARE(result.lost.count, std::int64_t(50));
    QCOMPARE(result.lost.examples.size(), std::size_t(maxExamples));
    if (maxExamples > 0)
        QCOMPARE(result.lost.examples.back().offsets.front(), std::int64_t(maxExamples - 1));
}

void TestHistory::describeSummarises()
{
    History good;
    produceAndRead(good, 3);
    replicas(good, range(0, 3), 3);
    const std::string fine = describe(check(good));
    QVERIFY2(fine.starts_with("History check: ok\n"), fine.c_str());
    QVERIFY2(fine.find("3 acknowledged") != std::string::npos, fine.c_str());

    History bad;
    CheckOptions options;
    uncleanElection(bad, options);
    const std::string text = describe(check(bad, options));
    QVERIFY2(text.starts_with("History check: FAILED (3 lost, 3 inconsistent)\n"), text.c_str());
    QVERIFY2(
        text.find("lost: producer-1's record acknowledged at offset 7 of orders-0") != std::string::npos, text.c_str());

    std::vector<std::string> names;
    const CheckResult empty;
    for (const NamedCategory& named : categories(empty))
        names.emplace_back(named.name);
    QCOMPARE(names,
        (std::vector<std::string> { "lost", "duplicated", "inconsistent", "reordered", "expired", "superseded",
            "failedButRead", "pollSkip", "nonMonotonicPoll" }));
}

void TestHistory::randomizedInjection_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("records");
    QTest::addColumn<Injection>("inject");
    QTest::addRow("clean") << quint64(1) << 20'000 << Injection {};
    QTest::addRow("one of each") << quint64(2) << 20'000 << Injection { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    QTest::addRow("several of each") << quint64(3) << 20'000 << Injection { 5, 3, 4, 6, 7, 2, 5, 4, 30 };
    QTest::addRow("many, small history") << quint64(4) << 5'000 << Injection { 40, 25, 30, 35, 20, 15, 30, 25, 100 };
    QTest::addRow("only loss") << quint64(5) << 20'000 << Injection { .lost = 12 };
    QTest::addRow("only reads") << quint64(6) << 20'000 << Injection { .pollSkips = 9, .rereads = 11 };
}

void TestHistory::randomizedInjection()
{
    QFETCH(quint64, seed);
    QFETCH(int, records);
    QFETCH(Injection, inject);
    History history;
    const historytest::Expected expected = historytest::generate(history, seed, records, 4, inject);
    const CheckResult result = check(history);
    QCOMPARE(countsOf(result), expected.counts);
    QCOMPARE(result.inconsistentReplicas, expected.inconsistentReplicas);
    QCOMPARE(result.inconsistentAcks, expected.inconsistentAcks);
    QCOMPARE(result.inconsistentReads, expected.inconsistentReads);
    QCOMPARE(result.failed, expected.failed);
    QCOMPARE(result.unknown, expected.unknown);
    QCOMPARE(result.unknownWritten, expected.unknownWritten);
    QCOMPARE(result.consumed, expected.consumed);
    QCOMPARE(result.unchecked, std::int64_t(0));
    // Same history, same verdict and the same examples: nothing depends on hash-table order.
    History again;
    historytest::generate(again, seed, records, 4, inject);
    QCOMPARE(describe(check(again)), describe(result));
}

void TestHistory::millionRecords()
{
    History history;
    history.reserve(1'000'000, 1'000'000);
    const Injection inject { 3, 2, 3, 2, 3, 2, 3, 2, 50 };
    const historytest::Expected expected = historytest::generate(history, 7, 1'000'000, 8, inject);
    const CheckResult result = check(history);
    QCOMPARE(countsOf(result), expected.counts);
    QCOMPARE(result.consumed, expected.consumed);
    // The history stays near its budget: one acknowledged and one consumed record, plus the leader's copy.
    // Followers' logs were compared on arrival and dropped.
    QVERIFY2(history.memoryBytes() < 100 * 1'000'000, qPrintable(QString::number(history.memoryBytes())));
}

QTEST_APPLESS_MAIN(TestHistory)
#include "test_history.moc"
