// The strict JSON reader behind scenario files: what it accepts, where it says a problem is, and
// that the serializer writes back what it read.

#include "scenario/json.h"

#include <QObject>
#include <QTest>

#include <cmath>
#include <limits>
#include <string>

using namespace brokerlab::scenario;

namespace {

QByteArray bytes(const std::string& text) { return { text.data(), static_cast<qsizetype>(text.size()) }; }

std::string text(const QByteArray& bytes) { return { bytes.constData(), static_cast<std::size_t>(bytes.size()) }; }

JsonValue parseOrFail(std::string_view input)
{
    JsonParseResult result = parseJson(input);
    if (!result.ok())
        qWarning("unexpected parse error %s", result.error->toString().c_str());
    return result.value;
}

std::string nested(int depth)
{
    return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

} // namespace

class TestJson : public QObject {
    Q_OBJECT

private slots:
    void parsesValidDocuments_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("compact");
        QTest::addRow("null") << QByteArray("null") << QByteArray("null");
        QTest::addRow("true with spaces") << QByteArray(" \t\r\n true \n") << QByteArray("true");
        QTest::addRow("false") << QByteArray("false") << QByteArray("false");
        QTest::addRow("zero") << QByteArray("0") << QByteArray("0");
        QTest::addRow("negative zero") << QByteArray("-0") << QByteArray("0");
        QTest::addRow("integer") << QByteArray("-45") << QByteArray("-45");
        QTest::addRow("fraction") << QByteArray("1.5") << QByteArray("1.5");
        QTest::addRow("exponent integral") << QByteArray("1E3") << QByteArray("1000");
        QTest::addRow("small exponent") << QByteArray("2.5e-3") << QByteArray("0.0025");
        QTest::addRow("underflow is zero") << QByteArray("1e-400") << QByteArray("0");
        QTest::addRow("string") << QByteArray("\"a b\"") << QByteArray("\"a b\"");
        QTest::addRow("escapes") << QByteArray("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")
                                 << QByteArray("\"\\\"\\\\/\\b\\f\\n\\r\\t\"");
        QTest::addRow("unicode escape") << QByteArray("\"\\u00e9\\u20AC\"") << bytes("\"\xC3\xA9\xE2\x82\xAC\"");
        QTest::addRow("surrogate pair") << QByteArray("\"\\ud83d\\ude00\"") << bytes("\"\xF0\x9F\x98\x80\"");
        QTest::addRow("nul escape") << QByteArray("\"a\\u0000b\"") << QByteArray("\"a\\u0000b\"");
        QTest::addRow("raw utf-8") << bytes("\"\xE6\x97\xA5\xE6\x9C\xAC\"") << bytes("\"\xE6\x97\xA5\xE6\x9C\xAC\"");
        QTest::addRow("empty containers") << QByteArray("[ {} , [ ] ]") << QByteArray("[{},[]]");
        QTest::addRow("nested") << QByteArray("[1,[2,[3,{\"k\":[null]}]]]") << QByteArray("[1,[2,[3,{\"k\":[null]}]]]");
        QTest::addRow("key order kept") << QByteArray("{\"b\":1,\"a\":2,\"c\":3}")
                                        << QByteArray("{\"b\":1,\"a\":2,\"c\":3}");
        QTest::addRow("byte order mark") << bytes("\xEF\xBB\xBF[1]") << QByteArray("[1]");
    }

    void parsesValidDocuments()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, compact);
        JsonParseResult result = parseJson(text(input));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error->toString().c_str());
        QCOMPARE(bytes(toJson(result.value)), compact);
    }

    void keepsIntegersExact_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("isInteger");
        QTest::addColumn<qint64>("integer");
        QTest::addColumn<double>("number");
        QTest::addRow("int64 max") << QByteArray("9223372036854775807") << true << std::numeric_limits<qint64>::max()
                                   << 9223372036854775807.0;
        QTest::addRow("int64 min") << QByteArray("-9223372036854775808") << true << std::numeric_limits<qint64>::min()
                                   << -9223372036854775808.0;
        QTest::addRow("2^53 + 1 exact") << QByteArray("9007199254740993") << true << qint64(9007199254740993LL)
                                        << 9007199254740992.0;
        QTest::addRow("beyond int64") << QByteArray("9223372036854775808") << false << qint64(0)
                                      << 9223372036854775808.0;
        QTest::addRow("integral fraction") << QByteArray("12.0") << true << qint64(12) << 12.0;
        QTest::addRow("real fraction") << QByteArray("12.5") << false << qint64(0) << 12.5;
        QTest::addRow("huge exponent") << QByteArray("1e300") << false << qint64(0) << 1e300;
    }

    void keepsIntegersExact()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, isInteger);
        QFETCH(qint64, integer);
        QFETCH(double, number);
        const JsonValue value = parseOrFail(text(input));
        QVERIFY(value.isNumber());
        QCOMPARE(value.isInteger(), isInteger);
        if (isInteger)
            QCOMPARE(value.asInt(), integer);
        QCOMPARE(value.asDouble(), number);
    }

    void recordsLineAndColumn()
    {
        // A tab counts as one column, "é" (two bytes) as one, CRLF as one line break.
        const std::string document = "{\r\n"
                                     "  \"a\": [1, 22],\r\n"
                                     "\t\"b\": {\"\xC3\xA9\": \"x\", \"d\": true}\r\n"
                                     "}";
        const JsonValue root = parseOrFail(document);
        QCOMPARE(root.line(), 1);
        QCOMPARE(root.column(), 1);
        const JsonMember* a = root.findMember("a");
        QVERIFY(a);
        QCOMPARE(a->line, 2);
        QCOMPARE(a->column, 3);
        QCOMPARE(a->value.line(), 2);
        QCOMPARE(a->value.column(), 8);
        QCOMPARE(a->value.items().at(1).line(), 2);
        QCOMPARE(a->value.items().at(1).column(), 12);
        const JsonMember* b = root.findMember("b");
        QVERIFY(b);
        QCOMPARE(b->line, 3);
        QCOMPARE(b->column, 2);
        const JsonMember* accent = b->value.findMember("\xC3\xA9");
        QVERIFY(accent);
        QCOMPARE(accent->column, 8);
        QCOMPARE(accent->value.column(), 13);
        const JsonValue* d = b->value.find("d");
        QVERIFY(d);
        QCOMPARE(d->line(), 3);
        QCOMPARE(d->column(), 23);
        QVERIFY(d->asBool());
    }

    void loneCarriageReturnEndsALine()
    {
        const JsonValue root = parseOrFail("[1,\r2]");
        QCOMPARE(root.items().at(1).line(), 2);
        QCOMPARE(root.items().at(1).column(), 1);
    }

    void reportsErrors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::addRow("empty") << QByteArray("") << 1 << 1 << QStringLiteral("empty document");
        QTest::addRow("only spaces") << QByteArray("  \n ") << 2 << 2 << QStringLiteral("empty document");
        QTest::addRow("unclosed object") << QByteArray("\n  {\"a\": 1") << 2 << 3
                                         << QStringLiteral("this object is not closed with '}'");
        QTest::addRow("unclosed array") << QByteArray("[1, 2") << 1 << 1
                                        << QStringLiteral("this array is not closed with ']'");
        QTest::addRow("missing comma in object")
            << QByteArray("{\"a\": 1 \"b\": 2}") << 1 << 9 << QStringLiteral("expected ',' or '}'");
        QTest::addRow("bad object separator")
            << QByteArray("{\"a\": 1;}") << 1 << 8 << QStringLiteral("expected ',' or '}', found ';'");
        QTest::addRow("missing comma in array")
            << QByteArray("[1 2]") << 1 << 4 << QStringLiteral("expected ',' or ']'");
        QTest::addRow("trailing comma object")
            << QByteArray("{\"a\":1,}") << 1 << 7 << QStringLiteral("trailing comma");
        QTest::addRow("trailing comma array") << QByteArray("[1,\n]") << 1 << 3 << QStringLiteral("trailing comma");
        QTest::addRow("double comma") << QByteArray("{\n  \"a\": [1,\n    2,,\n  ]\n}") << 3 << 7
                                      << QStringLiteral("expected a value, found ','");
        QTest::addRow("missing colon") << QByteArray("{\"a\" 1}") << 1 << 6
                                       << QStringLiteral("expected ':' after the key \"a\"");
        QTest::addRow("unquoted key") << QByteArray("{a: 1}") << 1 << 2
                                      << QStringLiteral("object keys must be strings in double quotes");
        QTest::addRow("duplicate key") << QByteArray("{\"x\": 1,\n \"x\": 2}") << 2 << 2
                                       << QStringLiteral("duplicate key \"x\"");
        QTest::addRow("unterminated string") << QByteArray("[\"abc") << 1 << 2 << QStringLiteral("unterminated string");
        QTest::addRow("line break in string")
            << QByteArray("\"ab\ncd\"") << 1 << 4 << QStringLiteral("line break inside a string");
        QTest::addRow("control character")
            << QByteArray("\"a\x01\"") << 1 << 3 << QStringLiteral("control character U+0001");
        QTest::addRow("invalid escape") << QByteArray("\"a\\x\"") << 1 << 3 << QStringLiteral("invalid escape \\x");
        QTest::addRow("short unicode escape")
            << QByteArray("\"\\u12G4\"") << 1 << 6 << QStringLiteral("expected four hex digits");
        QTest::addRow("lone high surrogate")
            << QByteArray("\"\\ud800\"") << 1 << 2 << QStringLiteral("unpaired surrogate");
        QTest::addRow("lone low surrogate")
            << QByteArray("\"x\\udc00\"") << 1 << 3 << QStringLiteral("unpaired surrogate");
        QTest::addRow("high then non-low")
            << QByteArray("\"\\ud800\\u0041\"") << 1 << 2 << QStringLiteral("unpaired surrogate");
        QTest::addRow("invalid utf-8 byte") << bytes("\"\xFF\"") << 1 << 2 << QStringLiteral("invalid UTF-8");
        QTest::addRow("overlong utf-8") << bytes("\"\xC0\xAF\"") << 1 << 2 << QStringLiteral("invalid UTF-8");
        QTest::addRow("utf-8 surrogate") << bytes("\"\xED\xA0\x80\"") << 1 << 2 << QStringLiteral("invalid UTF-8");
        QTest::addRow("truncated utf-8") << bytes("\"\xE6\x97\"") << 1 << 2 << QStringLiteral("invalid UTF-8");
        QTest::addRow("leading zero") << QByteArray("01") << 1 << 2 << QStringLiteral("leading zeros");
        QTest::addRow("lonely minus") << QByteArray("[-]") << 1 << 3 << QStringLiteral("expected a digit after '-'");
        QTest::addRow("no fraction digits")
            << QByteArray("1.") << 1 << 3 << QStringLiteral("expected a digit after the decimal point");
        QTest::addRow("no exponent digits")
            << QByteArray("1e+") << 1 << 4 << QStringLiteral("expected a digit in the exponent");
        QTest::addRow("plus sign") << QByteArray("+1") << 1 << 1 << QStringLiteral("cannot start with '+'");
        QTest::addRow("leading point") << QByteArray(".5") << 1 << 1 << QStringLiteral("cannot start with '.'");
        QTest::addRow("overflow") << QByteArray("[1e400]") << 1 << 2 << QStringLiteral("is too large");
        QTest::addRow("truncated literal") << QByteArray("tru") << 1 << 1 << QStringLiteral("unknown word \"tru\"");
        QTest::addRow("capitalised literal")
            << QByteArray("[True]") << 1 << 2 << QStringLiteral("unknown word \"True\"");
        QTest::addRow("NaN") << QByteArray("NaN") << 1 << 1 << QStringLiteral("NaN and Infinity are not JSON numbers");
        QTest::addRow("single quotes") << QByteArray("'a'") << 1 << 1 << QStringLiteral("double quotes");
        QTest::addRow("comment") << QByteArray("// note\n1") << 1 << 1 << QStringLiteral("comments are not allowed");
        QTest::addRow("content after value")
            << QByteArray("[1] x") << 1 << 5 << QStringLiteral("unexpected 'x' after the end of the JSON value");
        QTest::addRow("second document") << QByteArray("{}\n{}") << 2 << 1
                                         << QStringLiteral("after the end of the JSON value");
        QTest::addRow("byte order mark takes no column")
            << bytes("\xEF\xBB\xBF[") << 1 << 1 << QStringLiteral("this array is not closed");
    }

    void reportsErrors()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const JsonParseResult result = parseJson(text(input));
        QVERIFY(!result.ok());
        QVERIFY(result.value.isNull());
        const QString actual = QString::fromStdString(result.error->message);
        QVERIFY2(actual.contains(message), qPrintable(actual));
        QCOMPARE(result.error->line, line);
        QCOMPARE(result.error->column, column);
        QCOMPARE(QString::fromStdString(result.error->toString()),
            QString::number(line) + QLatin1Char(':') + QString::number(column) + QStringLiteral(": ") + actual);
    }

    void duplicateKeysInLargeObjects()
    {
        // Past 16 members the reader switches to a hash set; both paths must agree.
        std::string document = "{";
        for (int i = 0; i < 40; ++i)
            document += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
        document += "\n\"k7\": 0}";
        const JsonParseResult result = parseJson(document);
        QVERIFY(!result.ok());
        QCOMPARE(result.error->message, std::string("duplicate key \"k7\""));
        QCOMPARE(result.error->line, 2);
        QCOMPARE(result.error->column, 1);
    }

    void limitsDepth()
    {
        QVERIFY(parseJson(nested(kJsonMaxDepth)).ok());
        const JsonParseResult tooDeep = parseJson(nested(kJsonMaxDepth + 1));
        QVERIFY(!tooDeep.ok());
        QCOMPARE(tooDeep.error->message, std::string("nesting deeper than 256 levels"));
        QCOMPARE(tooDeep.error->column, kJsonMaxDepth + 1);

        // A hostile document far deeper than any stack could recurse fails cleanly.
        const JsonParseResult hostile = parseJson(std::string(1000000, '['));
        QVERIFY(!hostile.ok());
        QCOMPARE(hostile.error->column, kJsonMaxDepth + 1);

        const JsonParseResult custom = parseJson("{\"a\":{\"b\":[1]}}", 2);
        QVERIFY(!custom.ok());
        QCOMPARE(custom.error->message, std::string("nesting deeper than 2 levels"));
        QCOMPARE(custom.error->column, 11);
    }

    void roundTrips_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addRow("scenario-like") << QByteArray("{\"name\":\"demo\",\"seed\":42,\"topics\":[{\"name\":\"orders\","
                                                     "\"partitions\":6,\"config\":{\"retention.ms\":3600000}}],"
                                                     "\"ratio\":0.25,\"flags\":[true,false,null]}");
        QTest::addRow("escapes and unicode") << bytes("[\"tab\\there\",\"quote \\\" backslash \\\\\","
                                                      "\"\\u0001\\u001f\\u007f\",\"\xE2\x82\xAC \xF0\x9F\x98\x80\"]");
        QTest::addRow("numbers") << QByteArray("[0,-1,9223372036854775807,-9223372036854775808,0.1,1e-7,"
                                               "1.7976931348623157e308,5e-324,123456.789]");
        QTest::addRow("deep") << QByteArray::fromStdString(nested(kJsonMaxDepth));
    }

    void roundTrips()
    {
        QFETCH(QByteArray, input);
        const JsonValue first = parseOrFail(text(input));
        for (bool pretty : { false, true }) {
            const std::string written = toJson(first, pretty);
            const JsonParseResult again = parseJson(written);
            QVERIFY2(again.ok(), written.c_str());
            QVERIFY(again.value == first);
            QCOMPARE(toJson(again.value, pretty), written); // a fixed point after one trip
        }
    }

    void prettyPrints()
    {
        const JsonValue value = parseOrFail("{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[]}");
        QCOMPARE(toJson(value, true),
            std::string("{\n"
                        "  \"a\": [\n"
                        "    1,\n"
                        "    {\n"
                        "      \"b\": null\n"
                        "    }\n"
                        "  ],\n"
                        "  \"c\": {},\n"
                        "  \"d\": []\n"
                        "}"));
    }

    void escapesWhatJsonRequires()
    {
        QCOMPARE(toJson(JsonValue(std::string("\x01\"\\\n\x7f/", 6))), std::string("\"\\u0001\\\"\\\\\\n\\u007f/\""));
        QCOMPARE(toJson(JsonValue(std::string("a\0b", 3))), std::string("\"a\\u0000b\""));
        // Bytes that are not UTF-8 cannot go into JSON text: they become U+FFFD, keeping valid neighbours.
        QCOMPARE(toJson(JsonValue(std::string("x\xFFy\xC3\xA9"))), std::string("\"x\xEF\xBF\xBDy\xC3\xA9\""));
        const JsonParseResult reparsed = parseJson(toJson(JsonValue(std::string("\xC0\xAF\xED\xA0\x80"))));
        QVERIFY(reparsed.ok());
        QCOMPARE(
            reparsed.value.asString(), std::string("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
        std::string out;
        appendJsonString(out, "k\"");
        QCOMPARE(out, std::string("\"k\\\"\""));
    }

    void writesNumbers()
    {
        QCOMPARE(toJson(JsonValue(std::numeric_limits<double>::quiet_NaN())), std::string("null"));
        QCOMPARE(toJson(JsonValue(std::numeric_limits<double>::infinity())), std::string("null"));
        QCOMPARE(toJson(JsonValue(3.0)), std::string("3"));
        QCOMPARE(toJson(JsonValue(0.1)), std::string("0.1"));
        QCOMPARE(toJson(JsonValue(std::int64_t { -7 })), std::string("-7"));
        QCOMPARE(toJson(JsonValue(std::numeric_limits<std::uint64_t>::max())), std::string("18446744073709551616"));
        QVERIFY(!JsonValue(std::numeric_limits<std::uint64_t>::max()).isInteger());
        QVERIFY(JsonValue(std::uint64_t { 5 }).isInteger());
    }

    void buildsDocuments()
    {
        JsonValue report = JsonValue::object({ { "name", "run" }, { "count", 3 } });
        report.set("flags", JsonValue::array({ true, nullptr, 2.5, "x" }));
        report.set("count", 4); // replaces in place: order is kept
        report["nested"]["deeper"] = "yes";
        report["list"].push(1).push(JsonValue::object());
        QCOMPARE(toJson(report),
            std::string("{\"name\":\"run\",\"count\":4,\"flags\":[true,null,2.5,\"x\"],\"nested\":{\"deeper\":\"yes\"},"
                        "\"list\":[1,{}]}"));
        QCOMPARE(report.size(), std::size_t { 5 });
        QVERIFY(report.find("count"));
        QCOMPARE(report.find("count")->asInt(), std::int64_t { 4 });
        QVERIFY(!report.find("missing"));
        QCOMPARE(report.find("name")->line(), 0); // built in code, not parsed

        JsonValue scalar = 5;
        scalar.push("now an array");
        QVERIFY(scalar.isArray());
        QCOMPARE(scalar.size(), std::size_t { 1 });
    }

    void comparesByValue()
    {
        QVERIFY(parseOrFail("{\"a\": [1, 2.0]}") == parseOrFail("{\n\"a\":[1,2]}"));
        QVERIFY(!(parseOrFail("{\"a\":1,\"b\":2}") == parseOrFail("{\"b\":2,\"a\":1}"))); // order matters
        QVERIFY(!(parseOrFail("1") == parseOrFail("\"1\"")));
        QVERIFY(!(parseOrFail("[1]") == parseOrFail("[1,2]")));
    }

    void readersToleratesWrongTypes()
    {
        const JsonValue number = 3;
        QCOMPARE(number.asString(), std::string());
        QVERIFY(number.items().empty());
        QVERIFY(number.members().empty());
        QVERIFY(!number.asBool());
        QCOMPARE(JsonValue("x").asInt(), std::int64_t { 0 });
        QCOMPARE(JsonValue(1e30).asInt(), std::numeric_limits<std::int64_t>::max());
        QCOMPARE(JsonValue::typeName(JsonType::Object), std::string_view("object"));
        QCOMPARE(JsonValue::typeName(JsonType::Bool), std::string_view("boolean"));
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "test_json.moc"
