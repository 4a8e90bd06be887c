// The search language: every kind of term parses into what it means, and every bad query gets
// an error that names the term and what is wrong with it.

#include "store/searchquery.h"

#include <QTest>

using namespace brokerlab::store;

namespace {
SearchQuery parsed(const std::string& text)
{
    auto result = parseSearchQuery(text);
    if (auto* error = std::get_if<QueryError>(&result))
        qFatal("unexpected error: %s", error->message.c_str());
    return std::get<SearchQuery>(std::move(result));
}
} // namespace

class TestSearchQuery : public QObject {
    Q_OBJECT
private slots:
    void wordsAndPhrases()
    {
        const SearchQuery query = parsed("Alice \"order shipped\" sku-83");
        QCOMPARE(query.phrases.size(), std::size_t(3));
        QCOMPARE(query.phrases[0], std::vector<std::string>({ "alice" }));
        QCOMPARE(query.phrases[1], std::vector<std::string>({ "order", "shipped" }));
        QCOMPARE(query.phrases[2], std::vector<std::string>({ "sku", "83" })); // a word with a dash is a phrase
        QVERIFY(query.hasTextConditions());
    }

    void fields()
    {
        const SearchQuery query = parsed("key:\"customer 7\" header:trace-id=abc=1 json:$.items[0].sku=SKU-1 "
                                         "contains:lic topic:orders topic:payments partition:2 from:1000 to:2000");
        QCOMPARE(query.exactKeys, std::vector<std::string>({ "customer 7" }));
        QCOMPARE(query.headers.size(), std::size_t(1));
        QCOMPARE(query.headers[0].first, std::string("trace-id"));
        QCOMPARE(query.headers[0].second, std::string("abc=1")); // only the first '=' separates
        QCOMPARE(query.json.size(), std::size_t(1));
        QCOMPARE(query.json[0].steps.size(), std::size_t(3));
        QCOMPARE(query.json[0].steps[0].field, std::string("items"));
        QCOMPARE(query.json[0].steps[1].index, std::int64_t(0));
        QCOMPARE(query.json[0].steps[2].field, std::string("sku"));
        QCOMPARE(query.json[0].value, std::string("SKU-1"));
        QCOMPARE(query.substrings, std::vector<std::string>({ "lic" }));
        QCOMPARE(query.topics, std::set<std::string>({ "orders", "payments" }));
        QCOMPARE(query.partitions, std::set<std::int32_t>({ 2 }));
        QCOMPARE(query.fromMs, std::int64_t(1000));
        QCOMPARE(query.toMs, std::int64_t(2000));
    }

    void times()
    {
        QCOMPARE(parseTimeMs("2026-01-01T00:00:00Z").value_or(-1), std::int64_t(1767225600000));
        QCOMPARE(parseTimeMs("2026-01-01T00:00:01.500").value_or(-1), std::int64_t(1767225601500)); // no zone: UTC
        QCOMPARE(parseTimeMs("2026-01-01T01:00:00+01:00").value_or(-1), std::int64_t(1767225600000));
        QCOMPARE(parseTimeMs("1767225600000").value_or(-1), std::int64_t(1767225600000));
        QVERIFY(!parseTimeMs("yesterday"));
    }

    void emptyQueryMatchesEverything()
    {
        const SearchQuery query = parsed("   ");
        QVERIFY(!query.hasTextConditions());
        QVERIFY(query.topics.empty());
    }

    void tokenizerFollowsTheIndex()
    {
        QCOMPARE(tokenize("{\"user\":\"Ünal\",\"n\":42}"), std::vector<std::string>({ "user", "ünal", "n", "42" }));
        QCOMPARE(tokenize("a--b  C"), std::vector<std::string>({ "a", "b", "c" }));
        QCOMPARE(tokenize(std::string("x\xff"
                                      "y")),
            std::vector<std::string>({ "x", "y" }));
    }

    void badQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("unclosed quote") << "alice \"shipped"
                                        << "never closed";
        QTest::addRow("unknown field") << "colour:red"
                                       << "unknown field 'colour'";
        QTest::addRow("header without =") << "header:trace"
                                          << "NAME=VALUE";
        QTest::addRow("json without =") << "json:$.a"
                                        << "PATH=VALUE";
        QTest::addRow("json path without $") << "json:a.b=1"
                                             << "starts with '$'";
        QTest::addRow("json bad index") << "json:$.a[x]=1"
                                        << "array index";
        QTest::addRow("json empty field") << "json:$..a=1"
                                          << "empty field name";
        QTest::addRow("partition not a number") << "partition:two"
                                                << "whole number";
        QTest::addRow("bad time") << "from:yesterday"
                                  << "not a time";
        QTest::addRow("empty range") << "from:2000 to:1000"
                                     << "from is after to";
        QTest::addRow("punctuation only") << "--"
                                          << "no letters or digits";
        QTest::addRow("empty topic") << "topic:"
                                     << "needs a value";
    }

    void badQueries()
    {
        QFETCH(QString, query);
        QFETCH(QString, mentions);
        auto result = parseSearchQuery(query.toStdString());
        auto* error = std::get_if<QueryError>(&result);
        QVERIFY2(error, "the query was accepted");
        QVERIFY2(QString::fromStdString(error->message).contains(mentions), error->message.c_str());
    }

    void notUtf8IsRejected()
    {
        auto result = parseSearchQuery(std::string("caf\xe9"));
        QVERIFY(std::holds_alternative<QueryError>(result));
    }
};

QTEST_GUILESS_MAIN(TestSearchQuery)
#include "test_searchquery.moc"
