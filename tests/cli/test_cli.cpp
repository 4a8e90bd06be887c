// brokerlab-cli run, end to end: the report, the trace and the message dump a user gets, and the
// clear errors (exit code 2, file, line, field, no partial output) for bad input.

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
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

const QByteArray kSmallScenario = R"({
  "name": "small",
  "seed": 5,
  "duration_ms": 5000,
  "cluster": {"brokers": 3},
  "topics": [{"name": "orders", "partitions": 3, "replication_factor": 3, "config": {"min.insync.replicas": 2}}],
  "producers": [{"id": "p", "topic": "orders", "rate": 200, "workload": {"kind": "orders", "keys": "uniform"}}],
  "consumers": [{"id": "c", "topics": ["orders"], "config": {"auto.offset.reset": "earliest"}}]
})";

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void runWritesReportTraceAndDump()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("small.json"), kSmallScenario);
        const QString report = dir.filePath(QStringLiteral("report.json"));
        const QString trace = dir.filePath(QStringLiteral("trace.jsonl"));
        const QString dump = dir.filePath(QStringLiteral("messages.jsonl"));
        const Result result = runCli({ QStringLiteral("run"), scenario, QStringLiteral("--report"), report,
            QStringLiteral("--trace"), trace, QStringLiteral("--dump-messages"), dump });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(QStringLiteral("Brokers")));

        QFile reportFile(report);
        QVERIFY(reportFile.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(reportFile.readAll()).object();
        for (const char* key : { "seed", "virtual_ms", "wall_ms", "trace_sha256", "produced", "acked", "failed",
                 "consumed", "topics" })
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(QStringLiteral("seed")).toInteger(), 5);
        QCOMPARE(json.value(QStringLiteral("virtual_ms")).toInteger(), 5000);
        QVERIFY(json.value(QStringLiteral("acked")).toInteger() > 800);
        QVERIFY(json.value(QStringLiteral("consumed")).toInteger() > 0);
        // Each producer's latency: the percentiles lie between zero and the maximum, the median below the p99.
        const QJsonArray producers = json.value(QStringLiteral("producers")).toArray();
        QVERIFY(!producers.isEmpty());
        for (const auto& entry : producers) {
            const QJsonObject producer = entry.toObject();
            const double p50 = producer.value(QStringLiteral("p50_latency_ms")).toDouble(-1);
            const double p99 = producer.value(QStringLiteral("p99_latency_ms")).toDouble(-1);
            const double max = producer.value(QStringLiteral("max_latency_ms")).toDouble(-1);
            QVERIFY2(p50 > 0 && p50 <= p99 && p99 <= max * 1.2, qPrintable(QString::number(p50) + QLatin1Char(' ')
                                                                   + QString::number(p99) + QLatin1Char(' ')
                                                                   + QString::number(max)));
        }
        QJsonObject topic;
        for (const auto& entry : json.value(QStringLiteral("topics")).toArray()) {
            if (entry.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("orders"))
                topic = entry.toObject();
        }
        QCOMPARE(topic.value(QStringLiteral("name")).toString(), QStringLiteral("orders"));
        const QJsonArray partitions = topic.value(QStringLiteral("partitions")).toArray();
        QCOMPARE(partitions.size(), 3);
        std::int64_t logEnd = 0;
        for (const auto& value : partitions) {
            const QJsonObject partition = value.toObject();
            for (const char* key :
                { "partition", "leader", "replicas", "isr", "log_start_offset", "log_end_offset", "high_watermark" })
                QVERIFY2(partition.contains(QLatin1String(key)), key);
            QCOMPARE(partition.value(QStringLiteral("replicas")).toArray().size(), 3);
            logEnd += partition.value(QStringLiteral("log_end_offset")).toInteger();
        }

        // trace_sha256 is the hash of the trace file.
        QFile traceFile(trace);
        QVERIFY(traceFile.open(QIODevice::ReadOnly));
        const QByteArray traceBytes = traceFile.readAll();
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(traceBytes, QCryptographicHash::Sha256).toHex()),
            json.value(QStringLiteral("trace_sha256")).toString());

        // One dump line per record in the final logs.
        QFile dumpFile(dump);
        QVERIFY(dumpFile.open(QIODevice::ReadOnly));
        std::int64_t lines = 0;
        while (!dumpFile.atEnd()) {
            const QJsonObject line = QJsonDocument::fromJson(dumpFile.readLine()).object();
            QCOMPARE(line.value(QStringLiteral("topic")).toString(), QStringLiteral("orders"));
            QCOMPARE(line.value(QStringLiteral("value_encoding")).toString(), QStringLiteral("utf8"));
            QVERIFY(line.value(QStringLiteral("value")).toString().startsWith(QLatin1Char('{')));
            QVERIFY(line.contains(QStringLiteral("headers")));
            ++lines;
        }
        QCOMPARE(lines, logEnd);
    }

    void runWritesLogDirectories()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("small.json"), kSmallScenario);
        const QString report = dir.filePath(QStringLiteral("report.json"));
        const QString disk = dir.filePath(QStringLiteral("disk"));
        const Result result = runCli({ QStringLiteral("run"), scenario, QStringLiteral("--report"), report,
            QStringLiteral("--log-dirs"), disk, QStringLiteral("--quiet") });
        QCOMPARE(result.exitCode, 0);
        QFile reportFile(report);
        QVERIFY(reportFile.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(reportFile.readAll()).object();
        int files = 0;
        for (const auto& broker : json.value(QStringLiteral("brokers")).toArray()) {
            const QJsonObject logDir = broker.toObject().value(QStringLiteral("log_dir")).toObject();
            const QDir root(
                QStringLiteral("%1/broker-%2").arg(disk).arg(broker.toObject().value(QStringLiteral("id")).toInt()));
            // Every file the report lists is on disk with the listed size, and nothing else is.
            QStringList directories;
            for (const auto& directory : logDir.value(QStringLiteral("directories")).toArray()) {
                const QString name = directory.toObject().value(QStringLiteral("name")).toString();
                directories << name;
                for (const auto& file : directory.toObject().value(QStringLiteral("files")).toArray()) {
                    const QFileInfo info(root.filePath(
                        name + QLatin1Char('/') + file.toObject().value(QStringLiteral("name")).toString()));
                    QVERIFY2(info.exists(), qPrintable(info.filePath()));
                    QCOMPARE(info.size(), file.toObject().value(QStringLiteral("size")).toInteger());
                    ++files;
                }
            }
            QVERIFY(directories.contains(QStringLiteral("orders-0"))); // RF 3 on 3 brokers: every broker has it
            QStringList onDisk = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            onDisk.sort();
            directories.sort();
            QCOMPARE(onDisk, directories);
            QVERIFY(root.exists(QStringLiteral("orders-0/00000000000000000000.log")));
        }
        QVERIFY(files > 0);

        // A log directory that cannot be created fails the run with a message naming it.
        const QString blocked = writeFile(dir, QStringLiteral("blocked"), "a file, not a directory");
        const Result failed = runCli(
            { QStringLiteral("run"), scenario, QStringLiteral("--log-dirs"), blocked, QStringLiteral("--quiet") });
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains(QStringLiteral("blocked")), qPrintable(failed.err));
    }

    void sameSeedSameHashOtherSeedDiffers()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("small.json"), kSmallScenario);
        auto hashFor = [&](const QString& seed) {
            const QString report = dir.filePath(QStringLiteral("r-%1.json").arg(seed));
            const Result result = runCli({ QStringLiteral("run"), scenario, QStringLiteral("--seed"), seed,
                QStringLiteral("--report"), report, QStringLiteral("--quiet") });
            if (result.exitCode != 0)
                return QString();
            QFile file(report);
            file.open(QIODevice::ReadOnly);
            return QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("trace_sha256")).toString();
        };
        const QString first = hashFor(QStringLiteral("9"));
        QVERIFY(!first.isEmpty());
        QCOMPARE(hashFor(QStringLiteral("9")), first);
        QVERIFY(hashFor(QStringLiteral("10")) != first);
    }

    void badScenarioNamesFileLineAndField_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("field");
        QTest::addRow("syntax error") << QByteArray("{\n  \"name\": \"x\",\n  \"topics\": [\n}") << QStringLiteral(":4:")
                                      << QString();
        QTest::addRow("wrong type") << QByteArray("{\n  \"name\": \"x\",\n  \"cluster\": {\"brokers\": \"three\"}\n}")
                                    << QStringLiteral(":3:") << QStringLiteral("cluster.brokers");
        QTest::addRow("unknown config") << QByteArray("{\"name\":\"x\",\n\"topics\":[{\"name\":\"t\",\n"
                                                      "\"config\":{\"retention.msec\":5}}]}")
                                        << QStringLiteral(":3:") << QStringLiteral("topics[0].config");
        QTest::addRow("unknown topic") << QByteArray("{\"name\":\"x\",\"topics\":[{\"name\":\"t\"}],\n"
                                                     "\"producers\":[{\"id\":\"p\",\"topic\":\"nope\"}]}")
                                       << QStringLiteral(":2:") << QStringLiteral("producers[0].topic");
    }
    void badScenarioNamesFileLineAndField()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QFETCH(QString, field);
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("bad.json"), content);
        const QString report = writeFile(dir, QStringLiteral("report.json"), "KEEP");
        const QString trace = dir.filePath(QStringLiteral("trace.jsonl"));
        const Result result = runCli({ QStringLiteral("run"), scenario, QStringLiteral("--report"), report,
            QStringLiteral("--trace"), trace });
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("bad.json") + where), qPrintable(result.err));
        if (!field.isEmpty())
            QVERIFY2(result.err.contains(field), qPrintable(result.err));
        // Nothing the user had is lost and no partial output appears.
        QFile kept(report);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("KEEP"));
        QVERIFY(!QFile::exists(trace));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no file") << QStringList { QStringLiteral("run") } << QStringLiteral("no scenario file");
        QTest::addRow("missing file") << QStringList { QStringLiteral("run"), QStringLiteral("does-not-exist.json") }
                                      << QStringLiteral("does-not-exist.json");
        QTest::addRow("bad seed") << QStringList { QStringLiteral("run"), QStringLiteral("x.json"),
            QStringLiteral("--seed"), QStringLiteral("abc") } << QStringLiteral("--seed");
        QTest::addRow("absurd duration") << QStringList { QStringLiteral("run"), QStringLiteral("x.json"),
            QStringLiteral("--duration"), QStringLiteral("1e12") } << QStringLiteral("--duration");
        QTest::addRow("unknown option") << QStringList { QStringLiteral("run"), QStringLiteral("x.json"),
            QStringLiteral("--fast") } << QStringLiteral("--fast");
        QTest::addRow("log dirs without a folder") << QStringList { QStringLiteral("run"), QStringLiteral("x.json"),
            QStringLiteral("--log-dirs") } << QStringLiteral("--log-dirs needs a value");
        QTest::addRow("unknown command") << QStringList { QStringLiteral("walk") } << QStringLiteral("walk");
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result result = runCli(args);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), qPrintable(result.err));
    }

    void demoScenarioRuns()
    {
        const Result result = runCli({ QStringLiteral("run"),
            QStringLiteral(BROKERLAB_SOURCE_DIR "/resources/scenarios/demo.json"), QStringLiteral("--duration"),
            QStringLiteral("30") });
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(QStringLiteral("orders")));
        QVERIFY(result.out.contains(QStringLiteral("Consumers")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
