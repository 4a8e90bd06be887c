// The order a consumer group read records in, against their send order (lesson 3), and reads of
// offsets past the final high watermark (lesson 18).

#include "check/history.h"
#include "check/recordhash.h"

#include <QTest>

#include <map>
#include <string>
#include <vector>

using namespace brokerlab::check;

namespace {

struct Sent {
    TopicPartition partition;
    std::int64_t offset;
    std::string key;
    std::string value;
};

std::uint64_t hashOf(const Sent& record) { return recordHash(record.key, record.value); }

// Acknowledges `records` in send order (the producer's record number is the index) and gives each
// partition a final log holding them, committed.
void send(History& history, const std::vector<Sent>& records, std::string_view producer = "shop")
{
    std::map<TopicPartition, std::vector<std::pair<std::int64_t, std::uint64_t>>> logs;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Sent& record = records[i];
        history.sendAcked(
            record.partition, record.offset, hashOf(record), producer, record.key, static_cast<std::int64_t>(i));
        logs[record.partition].emplace_back(record.offset, hashOf(record));
    }
    for (const auto& [partition, log] : logs)
        history.finalLog(partition, 1, true, log, log.back().first + 1, 0);
}

const ReadOrder* orderOf(const CheckResult& result, std::string_view group)
{
    for (const ReadOrder& order : result.readOrder) {
        if (order.groupId == group)
            return &order;
    }
    return nullptr;
}

} // namespace

class TestReadOrder : public QObject {
    Q_OBJECT

private slots:
    void acrossPartitionsOrderBreaksWithinAKeyItHolds();
    void groupMembersAreJudgedTogetherAndRereadsCountOnce();
    void aKeyReadOutOfOrderIsCounted();
    void readsPastTheFinalHighWatermarkAreCounted();
};

void TestReadOrder::acrossPartitionsOrderBreaksWithinAKeyItHolds()
{
    const TopicPartition p0 { "orders", 0 }, p1 { "orders", 1 };
    // Sent alternately to two partitions, one key each.
    const std::vector<Sent> sent { { p0, 0, "a", "a1" }, { p1, 0, "b", "b1" }, { p0, 1, "a", "a2" },
        { p1, 1, "b", "b2" } };
    History history;
    send(history, sent);
    // The consumer reads p0 first, then p1: b1 (sent second) arrives after a2 (sent third).
    for (int i : { 0, 2, 1, 3 })
        history.consumed(sent[i].partition, sent[i].offset, hashOf(sent[i]), "dashboard-0", sent[i].key);
    CheckOptions options;
    options.consumerGroups.emplace("dashboard-0", "dashboard");
    const CheckResult result = check(history, options);
    const ReadOrder* order = orderOf(result, "dashboard");
    QVERIFY(order);
    QCOMPARE(order->records, 4);
    QCOMPARE(order->outOfProductionOrder, 1); // b1, sent before a2, read after it
    QCOMPARE(order->outOfKeyOrder, 0);
    QCOMPARE(result.readsPastHighWatermark, 0);
}

void TestReadOrder::groupMembersAreJudgedTogetherAndRereadsCountOnce()
{
    const TopicPartition p0 { "orders", 0 }, p1 { "orders", 1 };
    const std::vector<Sent> sent { { p0, 0, "a", "a1" }, { p1, 0, "b", "b1" } };
    History history;
    send(history, sent);
    history.consumed(p1, 0, hashOf(sent[1]), "workers-1", std::string_view("b"));
    history.consumed(p0, 0, hashOf(sent[0]), "workers-0", std::string_view("a")); // sent first, read second
    history.consumed(p1, 0, hashOf(sent[1]), "workers-0", std::string_view("b")); // read again after a rebalance
    history.consumed(p0, 0, hashOf(sent[0]), "loner", std::string_view("a"));
    CheckOptions options;
    options.consumerGroups = { { "workers-0", "workers" }, { "workers-1", "workers" } };
    const CheckResult result = check(history, options);
    QCOMPARE(result.readOrder.size(), std::size_t(2)); // "loner" (no group) is judged alone
    QCOMPARE(result.readOrder[0].groupId, std::string("loner"));
    QCOMPARE(result.readOrder[0].records, 1);
    const ReadOrder* workers = orderOf(result, "workers");
    QVERIFY(workers);
    QCOMPARE(workers->records, 2);
    QCOMPARE(workers->outOfProductionOrder, 1);
    QCOMPARE(workers->outOfKeyOrder, 0);
}

void TestReadOrder::aKeyReadOutOfOrderIsCounted()
{
    // A key whose records landed in two partitions (the partition count changed, or a custom
    // partitioner): per-key order is gone too.
    const TopicPartition p0 { "orders", 0 }, p1 { "orders", 1 };
    const std::vector<Sent> sent { { p0, 0, "a", "a1" }, { p1, 0, "a", "a2" }, { p0, 1, "b", "b1" } };
    History history;
    send(history, sent);
    for (int i : { 1, 0, 2 })
        history.consumed(sent[i].partition, sent[i].offset, hashOf(sent[i]), "c", sent[i].key);
    const CheckResult result = check(history);
    QCOMPARE(result.readOrder.size(), std::size_t(1));
    QCOMPARE(result.readOrder[0].outOfProductionOrder, 1);
    QCOMPARE(result.readOrder[0].outOfKeyOrder, 1);
}

void TestReadOrder::readsPastTheFinalHighWatermarkAreCounted()
{
    const TopicPartition p0 { "payments", 0 };
    History history;
    const std::uint64_t committed = recordHash("k", "v0");
    const std::uint64_t truncated = recordHash("k", "v1");
    const std::uint64_t replaced = recordHash("k", "v2");
    const std::uint64_t newer = recordHash("k", "v3");
    history.sendAcked(p0, 0, committed, "bank", std::string_view("k"), 0);
    history.sendAcked(p0, 1, newer, "bank", std::string_view("k"), 1);
    // A consumer read offset 1 and 2 of a leader that lost them: offset 1 now holds another
    // record, offset 2 is past the final high watermark.
    history.consumed(p0, 0, committed, "c", std::string_view("k"));
    history.consumed(p0, 1, replaced, "c", std::string_view("k"));
    history.consumed(p0, 2, truncated, "c", std::string_view("k"));
    history.finalLog(p0, 1, true, { { 0, committed }, { 1, newer } }, 2, 0);
    const CheckResult result = check(history);
    QCOMPARE(result.readsPastHighWatermark, 1);
    QCOMPARE(result.inconsistentReads, 1);
}

QTEST_APPLESS_MAIN(TestReadOrder)
#include "test_readorder.moc"
