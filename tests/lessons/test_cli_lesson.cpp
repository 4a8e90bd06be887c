// brokerlab-cli lesson, end to end: the listing, a passing lesson, a failing one (exit 1), and bad
// input (exit 2, the field named).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../common/clirun.h"

namespace {

using Result = brokerlab::testing::CliResult;
using brokerlab::testing::runCli;
using brokerlab::testing::writeFile;

QByteArray tinyLesson(const QByteArray& expectedAcked)
{
    return QByteArray(R"({
  "name": "tiny", "seed": 3, "duration_ms": 3000,
  "topics": [ { "name": "orders", "partitions": 2, "replication_factor": 3 } ],
  "producers": [ { "id": "shop", "topic": "orders", "rate": 10, "max_records": 5 } ],
  "lesson": {
    "id": "tiny", "title": "Tiny", "track": "log", "concepts": ["acks"],
    "prediction": { "question": "How many?", "choices": ["0", "5"], "answer": 1 },
    "watch": [ { "at_ms": 0, "text": "The shop writes five orders." } ],
    "assertions": [ { "path": "acked", "op": "==", "value": )")
        + expectedAcked + R"(, "why": "Every order is acknowledged." } ]
  }
})";
}

} // namespace

class TestCliLesson : public QObject {
    Q_OBJECT
private slots:
    void listShowsTheBuiltinsFromAnyDirectory()
    {
        QTemporaryDir dir;
        const Result result = runCli({ QStringLiteral("lesson"), QStringLiteral("--list"), QStringLiteral("--json") }, dir.path());
        QCOMPARE(result.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(result.out.toUtf8()).array();
        QVERIFY(!list.isEmpty());
        QCOMPARE(list.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("the-log-never-forgets"));
        QCOMPARE(list.first().toObject().value(QStringLiteral("number")).toInt(), 1);
    }

    void aBuiltinRunsByNumber()
    {
        const Result result = runCli({ QStringLiteral("lesson"), QStringLiteral("1") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(QStringLiteral("pass  consumers[client_id=audit].consumed == 10")));
        QVERIFY(result.out.contains(QStringLiteral("why: ")));
        QVERIFY(result.out.contains(QStringLiteral("7 of 7 assertions hold")));
    }

    void aFailingAssertionExitsOne()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, QStringLiteral("tiny.json"), tinyLesson("6"));
        const Result result = runCli({ QStringLiteral("lesson"), file, QStringLiteral("--json") });
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("passed")).toBool(), false);
        const QJsonObject assertion = json.value(QStringLiteral("assertions")).toArray().first().toObject();
        QCOMPARE(assertion.value(QStringLiteral("measured")).toInt(), 5);
        QCOMPARE(assertion.value(QStringLiteral("passed")).toBool(), false);
        QCOMPARE(assertion.value(QStringLiteral("why")).toString(), QStringLiteral("Every order is acknowledged."));

        const QString good = writeFile(dir, QStringLiteral("good.json"), tinyLesson("5"));
        QCOMPARE(runCli({ QStringLiteral("lesson"), good }).exitCode, 0);
    }

    void badInputExitsTwo()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, QStringLiteral("bad.json"), tinyLesson("5").replace("\"==\"", "\"=>\""));
        const Result bad = runCli({ QStringLiteral("lesson"), file });
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("lesson.assertions[0].op: unknown operator \"=>\"")), qPrintable(bad.err));
        QCOMPARE(runCli({ QStringLiteral("lesson"), QStringLiteral("no-such-lesson") }).exitCode, 2);
        QCOMPARE(runCli({ QStringLiteral("lesson") }).exitCode, 2);
        QCOMPARE(runCli({ QStringLiteral("lesson"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("x") }).exitCode, 2);
        // An unknown path below the report's top level is found by the run: still bad input.
        const QString deep = writeFile(dir, QStringLiteral("deep.json"), tinyLesson("5").replace("\"acked\"", "\"checker.lsot\""));
        const Result unresolved = runCli({ QStringLiteral("lesson"), deep });
        QCOMPARE(unresolved.exitCode, 2);
        QVERIFY2(unresolved.err.contains(QStringLiteral("did you mean \"lost\"")), qPrintable(unresolved.err));
    }
};

QTEST_GUILESS_MAIN(TestCliLesson)
#include "test_cli_lesson.moc"
