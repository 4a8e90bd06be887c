// Search over a workspace: every kind of term finds exactly the records it should, newest first,
// whether the records are in the full-text index or still in the unindexed tail; limits, stop
// and unknown topics behave as a user expects.

#include "store/recordmatcher.h"
#include "storefixtures.h"

using namespace brokerlab;
using namespace storetest;

namespace {

constexpr int kOrdersPerPartition = 200;
constexpr int kOrders = 3 * kOrdersPerPartition; // n = 0 .. 599 over 3 partitions
constexpr int kPayments = 60;
const char* const kStatus[] = { "created", "shipped", "cancelled" };

// Order n: partition n % 3, timestamp 1000 + n, key customer-<n % 50>.
Record order(int n)
{
    return record(n / 3, 1000 + n, "customer-" + std::to_string(n % 50),
        "{\"order_id\":\"o-" + std::to_string(n) + "\",\"customer\":{\"id\":" + std::to_string(n % 50)
            + ",\"name\":\"name" + std::to_string(n % 7) + "\"},\"status\":\"" + kStatus[n % 3]
            + "\",\"note\":\"plain\"}",
        { { "trace-id", "t" + std::to_string(n) } });
}

store::IngestBatch everything()
{
    store::IngestBatch batch;
    for (int p = 0; p < 3; ++p) {
        store::PartitionUpdate update;
        update.topic = "orders";
        update.partition = p;
        update.highWatermark = update.logEndOffset = kOrdersPerPartition;
        batch.partitions.push_back(update);
    }
    for (int n = 0; n < kOrders; ++n)
        batch.partitions[std::size_t(n % 3)].records.push_back(order(n));
    store::PartitionUpdate payments;
    payments.topic = "payments";
    payments.highWatermark = payments.logEndOffset = kPayments + 2;
    for (int i = 0; i < kPayments; ++i)
        payments.records.push_back(record(i, 5000 + i, std::nullopt,
            "payment for order o-" + std::to_string(i) + " by " + (i % 4 == 0 ? "Invoice" : "card")));
    payments.records.push_back(record(kPayments, 9000, "bin", std::string("\xff\xfe shipped", 10)));
    payments.records.push_back(record(kPayments + 1, 9001, "gone", std::nullopt)); // a tombstone
    batch.partitions.push_back(payments);
    return batch;
}

struct Hits {
    std::vector<store::StoredRecord> records;
    store::SearchOutcome outcome;
    std::vector<std::int64_t> timestamps() const
    {
        std::vector<std::int64_t> out;
        for (const auto& hit : records)
            out.push_back(hit.record.timestamp);
        return out;
    }
};

Hits search(const store::Workspace& workspace, const std::string& text, std::int64_t limit = 0)
{
    auto parsed = store::parseSearchQuery(text);
    if (!std::holds_alternative<store::SearchQuery>(parsed))
        qFatal("bad query in test");
    Hits hits;
    double lastFraction = -1;
    hits.outcome = workspace.search(std::get<store::SearchQuery>(parsed), limit, nullptr,
        [&](std::vector<store::StoredRecord>&& chunk, const store::SearchProgress& progress) {
            if (progress.fraction < lastFraction)
                qFatal("progress went backwards");
            lastFraction = progress.fraction;
            for (auto& hit : chunk)
                hits.records.push_back(std::move(hit));
            return true;
        });
    return hits;
}

// Timestamps of the orders n (descending: newest first) for which `wanted(n)` holds.
template <typename Predicate>
std::vector<std::int64_t> expectedOrders(Predicate wanted)
{
    std::vector<std::int64_t> out;
    for (int n = kOrders - 1; n >= 0; --n) {
        if (wanted(n))
            out.push_back(1000 + n);
    }
    return out;
}

} // namespace

class TestStoreSearch : public QObject {
    Q_OBJECT
private slots:
    void queryKinds_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<std::vector<std::int64_t>>("expected");
        auto all = [](auto predicate) { return expectedOrders(predicate); };
        QTest::addRow("word") << "shipped" << all([](int n) { return n % 3 == 1; });
        QTest::addRow("word, any case") << "SHIPPED" << all([](int n) { return n % 3 == 1; });
        QTest::addRow("two words") << "shipped name3" << all([](int n) { return n % 3 == 1 && n % 7 == 3; });
        QTest::addRow("phrase") << "\"o-17\" topic:orders" << all([](int n) { return n == 17; });
        QTest::addRow("phrase in order") << "\"shipped note\"" << all([](int n) { return n % 3 == 1; });
        QTest::addRow("phrase not adjacent") << "\"shipped plain\"" << std::vector<std::int64_t> {};
        QTest::addRow("word in the key") << "customer" << all([](int) { return true; });
        QTest::addRow("word in a header") << "t42" << all([](int n) { return n == 42; });
        QTest::addRow("exact key") << "key:customer-7" << all([](int n) { return n % 50 == 7; });
        QTest::addRow("exact key is not a prefix") << "key:customer-" << std::vector<std::int64_t> {};
        QTest::addRow("header") << "header:trace-id=t10" << all([](int n) { return n == 10; });
        QTest::addRow("header, wrong name") << "header:span-id=t10" << std::vector<std::int64_t> {};
        QTest::addRow("json number") << "json:$.customer.id=7" << all([](int n) { return n % 50 == 7; });
        QTest::addRow("json string") << "json:$.status=cancelled" << all([](int n) { return n % 3 == 2; });
        QTest::addRow("json two fields") << "json:$.status=shipped json:$.customer.name=name3"
                                         << all([](int n) { return n % 3 == 1 && n % 7 == 3; });
        QTest::addRow("json missing field") << "json:$.customer.email=x" << std::vector<std::int64_t> {};
        QTest::addRow("substring") << "contains:ancel topic:orders" << all([](int n) { return n % 3 == 2; });
        QTest::addRow("time range") << "from:1100 to:1109" << all([](int n) { return n >= 100 && n <= 109; });
        QTest::addRow("time range with ISO")
            << "from:1970-01-01T00:00:01.590Z topic:orders" << all([](int n) { return 1000 + n >= 1590; });
        QTest::addRow("partition") << "topic:orders partition:1 shipped"
                                   << all([](int n) { return n % 3 == 1 && n % 3 == 1; });
        QTest::addRow("partition excludes") << "topic:orders partition:0 shipped" << std::vector<std::int64_t> {};
        QTest::addRow("topic") << "topic:orders key:customer-1" << all([](int n) { return n % 50 == 1; });
        QTest::addRow("everything combined")
            << "topic:orders shipped key:customer-7 json:$.customer.id=7 header:trace-id=t157 from:1000 to:2000"
            << all([](int n) { return n == 157; });
    }

    void queryKinds()
    {
        QFETCH(QString, query);
        QFETCH(std::vector<std::int64_t>, expected);
        // The same query over the unindexed tail (a scan) and over the full-text index.
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        const Hits scanned = search(temp.workspace, query.toStdString());
        QCOMPARE(scanned.outcome.unindexed, temp.workspace.recordCount());
        temp.workspace.indexAll();
        const Hits indexed = search(temp.workspace, query.toStdString());
        QCOMPARE(indexed.outcome.unindexed, std::int64_t(0));
        QCOMPARE(scanned.timestamps(), expected);
        QCOMPARE(indexed.timestamps(), expected);
        QCOMPARE(indexed.outcome.hits, std::int64_t(expected.size()));

        // A format-1 workspace, whose word index keeps word positions (detail=full), answers the same.
        TempWorkspace formatOne;
        store::execute(formatOne.workspace.handle(),
            "DROP TABLE records_fts; CREATE VIRTUAL TABLE records_fts USING fts5(key, value, headers, content='', "
            "columnsize=0, tokenize='unicode61 remove_diacritics 0'); PRAGMA user_version=1;");
        formatOne.workspace.ingest(everything());
        formatOne.workspace.indexAll();
        QCOMPARE(search(formatOne.workspace, query.toStdString()).timestamps(), expected);
    }

    void indexNarrowsTheCandidates()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        temp.workspace.indexAll();
        // Only index candidates are read: a rare word looks at a handful of records, not all.
        const Hits rare = search(temp.workspace, "t17");
        QCOMPARE(rare.outcome.hits, std::int64_t(1));
        QCOMPARE(rare.outcome.scanned, std::int64_t(1));
        // A phrase reads the records holding all its words ("o" and "17": o-17, customer 17's
        // eleven other orders and the payment for o-17), not the 662 a scan reads; the matcher
        // keeps those where the words stand together.
        const Hits phrase = search(temp.workspace, "o-17 topic:orders");
        QCOMPARE(phrase.outcome.hits, std::int64_t(1));
        QCOMPARE(phrase.outcome.scanned, std::int64_t(13));
    }

    void trigramIndexFindsSubstrings()
    {
        TempWorkspace temp;
        temp.workspace.setTopic({ "payments", 1, 1, "{}", true });
        temp.workspace.ingest(everything());
        temp.workspace.indexAll();
        const Hits hits = search(temp.workspace, "contains:nvoic topic:payments");
        QCOMPARE(hits.outcome.hits, std::int64_t(kPayments / 4));
        QCOMPARE(hits.outcome.scanned, hits.outcome.hits); // the trigram index gave exactly these
        QCOMPARE(hits.records.front().record.offset, 56);
        // A substring shorter than three characters cannot use trigrams: scanned, same answer.
        QCOMPARE(search(temp.workspace, "contains:vo topic:payments").outcome.hits, std::int64_t(kPayments / 4));
    }

    void binaryValuesAndTombstonesAreNotText()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        temp.workspace.indexAll();
        // The binary value holds the bytes "shipped" but is not UTF-8 text; it stays findable by key.
        QCOMPARE(search(temp.workspace, "shipped topic:payments").outcome.hits, std::int64_t(0));
        const Hits byKey = search(temp.workspace, "key:bin");
        QCOMPARE(byKey.outcome.hits, std::int64_t(1));
        QCOMPARE(byKey.records.front().record.value->size(), std::size_t(10));
        const Hits tombstone = search(temp.workspace, "key:gone");
        QCOMPARE(tombstone.outcome.hits, std::int64_t(1));
        QVERIFY(!tombstone.records.front().record.value.has_value());
    }

    void tailAndIndexTogether()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        temp.workspace.indexPending(300); // half indexed: the newest half is the tail
        QCOMPARE(temp.workspace.indexStatus().lag, temp.workspace.recordCount() - 300);
        const Hits hits = search(temp.workspace, "shipped topic:orders");
        QCOMPARE(hits.timestamps(), expectedOrders([](int n) { return n % 3 == 1; }));
        QVERIFY(hits.outcome.unindexed > 0);
    }

    void limitKeepsTheNewest()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        temp.workspace.indexAll();
        const Hits hits = search(temp.workspace, "shipped topic:orders", 5);
        QCOMPARE(hits.outcome.hits, std::int64_t(5));
        QVERIFY(hits.outcome.limitReached);
        QCOMPARE(hits.timestamps(), std::vector<std::int64_t>({ 1598, 1595, 1592, 1589, 1586 }));
    }

    void stopEndsTheSearch()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        temp.workspace.indexAll();
        std::atomic<bool> stop { false };
        std::int64_t received = 0;
        auto parsed = store::parseSearchQuery("customer");
        const auto outcome = temp.workspace.search(std::get<store::SearchQuery>(parsed), 0, &stop,
            [&](std::vector<store::StoredRecord>&& chunk, const store::SearchProgress&) {
                received += std::int64_t(chunk.size());
                stop = true; // the user pressed Cancel after the first results
                return true;
            });
        QVERIFY(outcome.cancelled);
        QVERIFY(received > 0);
        QVERIFY(received < kOrders);
    }

    void unknownTopicIsAnError()
    {
        TempWorkspace temp;
        temp.workspace.ingest(everything());
        try {
            search(temp.workspace, "topic:order shipped");
            QFAIL("no error for an unknown topic");
        } catch (const store::StoreError& error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("unknown topic 'order'")));
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("orders, payments")));
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreSearch)
#include "test_storesearch.moc"
