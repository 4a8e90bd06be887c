// brokerlab-cli run --workspace, search and export, end to end: what a user gets, and the clear
// errors (exit code 2 for bad input, 1 for failed output) that leave their files alone.

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "../common/clirun.h"

namespace {

using Result = brokerlab::testing::CliResult;
using brokerlab::testing::runCli;

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write test file");
    file.write(bytes);
}

const QByteArray kScenario = "{\"name\": \"store\", \"seed\": 3, \"duration_ms\": 4000, \"cluster\": {\"brokers\": 3},"
                             " \"topics\": [{\"name\": \"orders\", \"partitions\": 3, \"replication_factor\": 3},"
                             "              {\"name\": \"clicks\", \"partitions\": 2, \"replication_factor\": 2}],"
                             " \"producers\": [{\"id\": \"p\", \"topic\": \"orders\", \"rate\": 100,"
                             "                  \"workload\": {\"kind\": \"orders\", \"keys\": \"uniform\"}},"
                             "                 {\"id\": \"q\", \"topic\": \"clicks\", \"rate\": 50,"
                             "                  \"workload\": {\"kind\": \"page_views\"}}]}";

QStringList words(const char* text) { return QString::fromUtf8(text).split(QLatin1Char(' ')); }

QStringList lines(const QString& text) { return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

} // namespace

class TestCliStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString workspace_;
    QString dump_;

private slots:
    void initTestCase()
    {
        const QString scenario = dir_.filePath(QStringLiteral("store.json"));
        writeAll(scenario, kScenario);
        workspace_ = dir_.filePath(QStringLiteral("run.blw"));
        dump_ = dir_.filePath(QStringLiteral("dump.jsonl"));
        const Result result = runCli({ QStringLiteral("run"), scenario, QStringLiteral("--workspace"), workspace_,
            QStringLiteral("--dump-messages"), dump_, QStringLiteral("--quiet") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(QFile::exists(workspace_));
        QCOMPARE(QDir(dir_.path()).entryList(QDir::Files).filter(QStringLiteral("partial")).size(), 0);
    }

    void exportMatchesTheCommittedLog()
    {
        // Every committed record of the final logs, as --dump-messages wrote them, comes back.
        QStringList expected;
        for (const QString& line : lines(QString::fromUtf8(readAll(dump_)))) {
            QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            if (object.value(QStringLiteral("topic")).toString() != QLatin1String("orders")
                || !object.value(QStringLiteral("committed")).toBool())
                continue;
            object.remove(QStringLiteral("committed"));
            expected << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
        }
        QVERIFY(expected.size() > 100);
        const QString out = dir_.filePath(QStringLiteral("orders.jsonl"));
        const Result result
            = runCli({ QStringLiteral("export"), workspace_, QStringLiteral("--topic"), QStringLiteral("orders"),
                QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--out"), out });
        QCOMPARE(result.exitCode, 0);
        QStringList exported;
        for (const QString& line : lines(QString::fromUtf8(readAll(out))))
            exported << QString::fromUtf8(
                QJsonDocument(QJsonDocument::fromJson(line.toUtf8()).object()).toJson(QJsonDocument::Compact));
        QCOMPARE(exported, expected);
    }

    void exportCsv()
    {
        const QString out = dir_.filePath(QStringLiteral("clicks.csv"));
        const Result result
            = runCli({ QStringLiteral("export"), workspace_, QStringLiteral("--topic"), QStringLiteral("clicks"),
                QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"), out });
        QCOMPARE(result.exitCode, 0);
        const QStringList rows = QString::fromUtf8(readAll(out)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(rows.first(),
            QStringLiteral("topic,partition,offset,timestamp,key,key_encoding,value,value_encoding,headers"));
        QVERIFY(rows.size() > 50);
        QVERIFY(rows.at(1).startsWith(QStringLiteral("clicks,0,0,")));
    }

    void searchPrintsNewestFirst()
    {
        const Result result = runCli(
            { QStringLiteral("search"), workspace_, QString(), QStringLiteral("--limit"), QStringLiteral("20") });
        QCOMPARE(result.exitCode, 0);
        const QStringList hits = lines(result.out);
        QCOMPARE(hits.size(), 20);
        QString previous = QStringLiteral("9999");
        for (const QString& hit : hits) {
            const QStringList fields = hit.split(QLatin1Char('\t'));
            QCOMPARE(fields.size(), 6); // topic, partition, offset, timestamp, key, value
            QVERIFY(fields.at(3) <= previous); // ISO 8601 UTC sorts as text
            previous = fields.at(3);
        }
        QVERIFY(result.err.contains(QStringLiteral("20 hits")));
    }

    void searchByKeyAndTopicAsJson()
    {
        const Result first = runCli({ QStringLiteral("search"), workspace_, QStringLiteral("topic:orders"),
            QStringLiteral("--limit"), QStringLiteral("1"), QStringLiteral("--json") });
        QCOMPARE(first.exitCode, 0);
        const QJsonObject newest = QJsonDocument::fromJson(first.out.toUtf8()).object();
        const QString key = newest.value(QStringLiteral("key")).toString();
        QVERIFY(!key.isEmpty());
        const Result byKey
            = runCli({ QStringLiteral("search"), workspace_, QStringLiteral("key:") + key, QStringLiteral("--topic"),
                QStringLiteral("orders"), QStringLiteral("--limit"), QStringLiteral("0"), QStringLiteral("--json") });
        QCOMPARE(byKey.exitCode, 0);
        const QStringList hits = lines(byKey.out);
        QVERIFY(!hits.isEmpty());
        for (const QString& line : hits) {
            const QJsonObject hit = QJsonDocument::fromJson(line.toUtf8()).object();
            QCOMPARE(hit.value(QStringLiteral("key")).toString(), key);
            QCOMPARE(hit.value(QStringLiteral("topic")).toString(), QStringLiteral("orders"));
        }
        QCOMPARE(QJsonDocument::fromJson(hits.first().toUtf8()).object(), newest);
    }

    void searchTimeRange()
    {
        const Result all = runCli({ QStringLiteral("search"), workspace_, QString(), QStringLiteral("--limit"),
            QStringLiteral("0"), QStringLiteral("--json") });
        const QStringList hits = lines(all.out);
        const qint64 newest
            = QJsonDocument::fromJson(hits.first().toUtf8()).object().value(QStringLiteral("timestamp")).toInteger();
        const QString from = QString::number(newest - 500);
        const Result recent = runCli({ QStringLiteral("search"), workspace_, QString(), QStringLiteral("--from"), from,
            QStringLiteral("--limit"), QStringLiteral("0"), QStringLiteral("--json") });
        QCOMPARE(recent.exitCode, 0);
        int expected = 0;
        for (const QString& line : hits)
            expected += QJsonDocument::fromJson(line.toUtf8()).object().value(QStringLiteral("timestamp")).toInteger()
                    >= newest - 500
                ? 1
                : 0;
        QCOMPARE(lines(recent.out).size(), expected);
        QVERIFY(expected > 0 && expected < hits.size());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("bad query") << words("search WS colour:red") << 2 << QString::fromUtf8("unknown field 'colour'");
        QTest::addRow("unknown topic") << words("search WS x --topic order") << 2
                                       << QString::fromUtf8("unknown topic 'order'");
        QTest::addRow("bad --from") << words("search WS x --from soon") << 2
                                    << QString::fromUtf8("--from must be a time");
        QTest::addRow("bad --limit") << words("search WS x --limit -1") << 2 << QString::fromUtf8("--limit");
        QTest::addRow("no query") << words("search WS") << 2 << QString::fromUtf8("no query");
        QTest::addRow("missing workspace") << words("search nope.blw x") << 2 << QString::fromUtf8("no such file");
        QTest::addRow("export bad format")
            << words("export WS --topic orders --format xml --out x") << 2 << QString::fromUtf8("jsonl or csv");
        QTest::addRow("export unknown topic")
            << words("export WS --topic nope --format csv --out OUT") << 2 << QString::fromUtf8("unknown topic 'nope'");
        QTest::addRow("export no topic") << words("export WS --format csv --out x") << 2
                                         << QString::fromUtf8("--topic is required");
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const QString out = dir_.filePath(QStringLiteral("never.csv"));
        args.replaceInStrings(QStringLiteral("WS"), workspace_);
        args.replaceInStrings(QStringLiteral("OUT"), out);
        const QByteArray before = readAll(workspace_);
        const Result result = runCli(args);
        QCOMPARE(result.exitCode, exitCode);
        QVERIFY2(result.err.contains(mentions), qPrintable(result.err));
        QVERIFY(!QFile::exists(out)); // no partial output
        QCOMPARE(readAll(workspace_), before); // reading a workspace never changes it
    }

    void foreignFilesAreNeverOverwritten()
    {
        const QString notes = dir_.filePath(QStringLiteral("notes.txt"));
        writeAll(notes, "do not lose me\n");
        const Result search = runCli({ QStringLiteral("search"), notes, QStringLiteral("x") });
        QCOMPARE(search.exitCode, 2);
        QVERIFY2(search.err.contains(QStringLiteral("not an SQLite database")), qPrintable(search.err));
        const Result run = runCli({ QStringLiteral("run"), dir_.filePath(QStringLiteral("store.json")),
            QStringLiteral("--workspace"), notes, QStringLiteral("--quiet") });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("will not replace")), qPrintable(run.err));
        QCOMPARE(readAll(notes), QByteArray("do not lose me\n"));
    }

    void aWorkspaceInUseIsNeverReplaced()
    {
        // The GUI (or another run) holds the file's lock: the run is refused before it starts.
        const QString target = dir_.filePath(QStringLiteral("in-use.blw"));
        QVERIFY(QFile::copy(workspace_, target));
        const QByteArray before = readAll(target);
        const QStringList args { QStringLiteral("run"), dir_.filePath(QStringLiteral("store.json")),
            QStringLiteral("--workspace"), target, QStringLiteral("--quiet") };
        {
            QLockFile holder(target + QStringLiteral(".lock"));
            QVERIFY(holder.tryLock(0));
            const Result run = runCli(args);
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(run.err.contains(QStringLiteral("in use by process %1").arg(QCoreApplication::applicationPid())),
                qPrintable(run.err));
            QVERIFY2(run.err.contains(target), qPrintable(run.err));
            QCOMPARE(readAll(target), before);
            QCOMPARE(QDir(dir_.path()).entryList(QDir::Files).filter(QStringLiteral("partial")).size(), 0);
        }
        // Its holder gone, the run replaces it, and lets go of the lock at the end.
        const Result run = runCli(args);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(!QFile::exists(target + QStringLiteral(".lock")));
    }

    void aLockLeftByACrashedRunIsTakenOver()
    {
        const QString target = dir_.filePath(QStringLiteral("crashed.blw"));
        const QString lockPath = target + QStringLiteral(".lock");
        QByteArray contents;
        {
            QLockFile real(lockPath);
            QVERIFY(real.tryLock(0));
            contents = readAll(lockPath);
        }
        QProcess gone;
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());
        contents.replace(0, contents.indexOf('\n'), QByteArray::number(deadPid));
        writeAll(lockPath, contents);
        const Result run = runCli({ QStringLiteral("run"), dir_.filePath(QStringLiteral("store.json")),
            QStringLiteral("--workspace"), target, QStringLiteral("--quiet") });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(QFile::exists(target));
        QVERIFY(!QFile::exists(lockPath));
    }

    void exportNeverWritesOverAWorkspace()
    {
        // --out naming the workspace read, or another one: the run would be replaced by an export.
        const QString other = dir_.filePath(QStringLiteral("other.blw"));
        QVERIFY(QFile::copy(workspace_, other));
        for (const QString& target : { workspace_, other }) {
            const QByteArray before = readAll(target);
            const Result result = runCli({ QStringLiteral("export"), workspace_, QStringLiteral("--topic"),
                QStringLiteral("orders"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"),
                target });
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(result.err.contains(QStringLiteral("is a Brokerlab workspace")), qPrintable(result.err));
            QCOMPARE(readAll(target), before);
        }
        // A file of another kind is the person's to replace, as before.
        const QString old = dir_.filePath(QStringLiteral("old-export.csv"));
        writeAll(old, "stale\n");
        const Result replaced = runCli({ QStringLiteral("export"), workspace_, QStringLiteral("--topic"),
            QStringLiteral("orders"), QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"), old });
        QCOMPARE(replaced.exitCode, 0);
        QVERIFY(readAll(old).startsWith("topic,partition,offset"));
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "test_cli_store.moc"
