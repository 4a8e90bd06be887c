// JSON Lines import: what export writes reads back byte for byte (text, binary in base64, nulls,
// headers), and a bad line stops the import with its line number and what is wrong, keeping nothing.

#include "store/exporter.h"
#include "store/importer.h"

#include <QTest>

#include <sstream>

using namespace brokerlab;

namespace {

store::StoredRecord sample()
{
    store::StoredRecord stored;
    stored.topic = "orders";
    stored.partition = 2;
    stored.record.offset = 17;
    stored.record.timestamp = 1700000000123;
    stored.record.key = std::string("\x00\xff\x10key", 6); // not UTF-8: base64
    stored.record.value = "{\"id\":1,\"note\":\"line\\nbreak, \\\"quoted\\\"\"}";
    stored.record.headers
        = { { "trace-id", std::string("t-1") }, { "bin", std::string("\xfe\x01", 2) }, { "none", std::nullopt } };
    return stored;
}

} // namespace

class TestImporter : public QObject {
    Q_OBJECT
private slots:
    void exportedLinesReadBackExactly()
    {
        const store::StoredRecord original = sample();
        store::StoredRecord tombstone = original;
        tombstone.record.value.reset();
        tombstone.record.key = "plain";
        tombstone.record.headers.clear();
        std::stringstream file;
        file << store::jsonLine(original) << "\n\n" << store::jsonLine(tombstone) << "\r\n";
        const auto result = store::readJsonLines(file);
        QVERIFY2(result.ok(), result.error.c_str());
        QCOMPARE(result.records.size(), std::size_t(2));
        const auto& first = result.records[0];
        QCOMPARE(first.topic, std::string("orders"));
        QCOMPARE(first.partition, 2);
        QCOMPARE(first.timestamp, original.record.timestamp);
        QCOMPARE(first.key, original.record.key);
        QCOMPARE(first.value, original.record.value);
        QCOMPARE(first.headers.size(), std::size_t(3));
        QCOMPARE(first.headers[1].value, original.record.headers[1].value);
        QVERIFY(!first.headers[2].value);
        QVERIFY(!result.records[1].value);
        QCOMPARE(result.records[1].key, std::optional<std::string>("plain"));
    }

    void aHandWrittenLineNeedsOnlyAValue()
    {
        const auto parsed = store::parseJsonLine(R"({"value":"hello"})");
        QVERIFY(std::holds_alternative<store::ImportedRecord>(parsed));
        const auto& record = std::get<store::ImportedRecord>(parsed);
        QCOMPARE(record.value, std::optional<std::string>("hello"));
        QVERIFY(!record.key);
        QCOMPARE(record.partition, -1);
        QCOMPARE(record.timestamp, std::int64_t(-1));
    }

    void badLinesNameTheLineAndTheProblem_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("not json") << QByteArray(R"({"value": "x")") << QByteArray("not JSON");
        QTest::newRow("array") << QByteArray(R"([1,2])") << QByteArray("expected a JSON object");
        QTest::newRow("misspelt") << QByteArray(R"({"vaule":"x"})") << QByteArray("unknown field \"vaule\"");
        QTest::newRow("no value") << QByteArray(R"({"key":"k"})") << QByteArray("no \"value\"");
        QTest::newRow("value number") << QByteArray(R"({"value":5})")
                                      << QByteArray("\"value\" must be a string or null, not a number");
        QTest::newRow("bad base64") << QByteArray(R"({"value":"@@@","value_encoding":"base64"})")
                                    << QByteArray("not valid base64");
        QTest::newRow("bad encoding") << QByteArray(R"({"value":"x","value_encoding":"hex"})")
                                      << QByteArray("\"utf8\" or \"base64\"");
        QTest::newRow("partition") << QByteArray(R"({"value":"x","partition":-1})")
                                   << QByteArray("\"partition\" must be at least 0");
        QTest::newRow("timestamp") << QByteArray(R"({"value":"x","timestamp":1.5})")
                                   << QByteArray("\"timestamp\" must be an integer");
        QTest::newRow("headers") << QByteArray(R"({"value":"x","headers":{"a":"b"}})")
                                 << QByteArray("\"headers\" must be an array");
        QTest::newRow("header key") << QByteArray(R"({"value":"x","headers":[{"value":"b"}]})")
                                    << QByteArray("headers[0].key");
    }

    void badLinesNameTheLineAndTheProblem()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, says);
        std::stringstream file;
        file << R"({"value":"fine"})"
             << "\n"
             << R"({"value":"fine too"})"
             << "\n"
             << line.toStdString() << "\n"
             << R"({"value":"never read"})"
             << "\n";
        const auto result = store::readJsonLines(file);
        QVERIFY(!result.ok());
        QCOMPARE(result.errorLine, std::int64_t(3));
        QVERIFY2(result.error.find("line 3: ") == 0, result.error.c_str());
        QVERIFY2(result.error.find(says.toStdString()) != std::string::npos, result.error.c_str());
        QVERIFY(result.records.empty()); // nothing of a bad file is imported
    }

    void cancelKeepsNothing()
    {
        std::stringstream file;
        for (int i = 0; i < 10000; ++i)
            file << R"({"value":"v"})"
                 << "\n";
        std::atomic<bool> stop { true };
        std::int64_t progressCalls = 0;
        const auto result = store::readJsonLines(
            file, [&](std::int64_t) { ++progressCalls; }, &stop);
        QVERIFY(result.cancelled);
        QVERIFY(result.records.empty());
    }
};

QTEST_GUILESS_MAIN(TestImporter)
#include "test_importer.moc"
