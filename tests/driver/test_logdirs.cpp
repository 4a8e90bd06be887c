// Each broker's log directory as Kafka lays it out (lesson 7): the listing the run report shows, and
// the files written to a real folder, whose .log files hold the replicas' RecordBatch bytes.

#include "../common/testscenario.h"
#include "cluster/logdir.h"
#include "driver/report.h"
#include "log/recordbatch.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <set>
#include <string>

using namespace brokerlab;

namespace {

const char* kScenario = R"({"name":"disk","duration_ms":12000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":3,"replication_factor":2,"config":{"segment.ms":3000}}],
  "producers":[{"id":"shop","topic":"orders","rate":200,"stop_ms":10000,"config":{"compression.type":"gzip"}}]})";

log::Bytes readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    const QByteArray bytes = file.readAll();
    return log::Bytes(bytes.begin(), bytes.end());
}

std::int32_t be32(const log::Bytes& bytes, std::size_t at)
{
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
        value = (value << 8) | bytes[at + i];
    return static_cast<std::int32_t>(value);
}

std::int64_t be64(const log::Bytes& bytes, std::size_t at)
{
    return (static_cast<std::int64_t>(be32(bytes, at)) << 32) | static_cast<std::uint32_t>(be32(bytes, at + 4));
}

} // namespace

class TestLogDirs : public QObject {
    Q_OBJECT

private slots:
    void eachBrokerHoldsExactlyItsReplicas();
    void writtenFilesDecodeToTheReplicasBatches();
};

void TestLogDirs::eachBrokerHoldsExactlyItsReplicas()
{
    auto engine = testing::startedEngine(kScenario);
    engine->runUntil(engine->endTime());
    std::int64_t directories = 0;
    for (const auto& broker : engine->cluster().brokers()) {
        std::set<std::string> expected, listed, reported;
        for (const auto& [topicPartition, replica] : broker->replicas())
            expected.insert(topicPartition.topic + "-" + std::to_string(topicPartition.partition));
        for (const cluster::LogDirFile& file : cluster::logDirectory(*broker, false)) {
            if (!file.directory.empty())
                listed.insert(file.directory);
            QVERIFY(file.bytes.empty()); // a listing copies no log bytes
        }
        const scenario::JsonValue report = driver::logDirReport(*engine, broker->id());
        for (const scenario::JsonValue& directory : report.find("directories")->items())
            reported.insert(directory.find("name")->asString());
        QCOMPARE(listed, expected);
        QCOMPARE(reported, expected);
        directories += static_cast<std::int64_t>(expected.size());
    }
    QCOMPARE(directories, 6); // 3 partitions x 2 replicas, none on all three brokers
}

void TestLogDirs::writtenFilesDecodeToTheReplicasBatches()
{
    auto engine = testing::startedEngine(kScenario);
    engine->runUntil(engine->endTime());
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    std::string error;
    QVERIFY2(driver::writeLogDirectories(*engine, folder.path().toStdString(), error), error.c_str());

    int segments = 0;
    for (const auto& broker : engine->cluster().brokers()) {
        const QDir root(folder.filePath(QStringLiteral("broker-%1").arg(broker->id())));
        const log::Bytes metaBytes = readFile(root.filePath(QStringLiteral("meta.properties")));
        const std::string meta(metaBytes.begin(), metaBytes.end());
        QVERIFY2(meta.find("node.id=" + std::to_string(broker->id()) + "\n") != std::string::npos, meta.c_str());
        for (const auto& [topicPartition, replica] : broker->replicas()) {
            const QDir directory(root.filePath(
                QString::fromStdString(topicPartition.topic + "-" + std::to_string(topicPartition.partition))));
            QVERIFY2(directory.exists(), qPrintable(directory.path()));
            const log::PartitionLog& partitionLog = replica->log();
            std::vector<log::Record> fromFiles;
            for (const auto& segment : partitionLog.segments()) {
                ++segments;
                const QString base = QString::fromStdString(log::Segment::fileName(segment->baseOffset(), ""));
                QCOMPARE(base.size(), 20);
                const log::Bytes logFile = readFile(directory.filePath(base + QStringLiteral(".log")));
                QCOMPARE(static_cast<std::int64_t>(logFile.size()), segment->sizeInBytes());
                // The .log file is RecordBatch v2 bytes, CRCs intact, offsets following on.
                log::BatchIterator batches(logFile, true);
                std::int64_t expectedBase = segment->baseOffset();
                std::set<std::size_t> batchStarts;
                while (batches.next()) {
                    QCOMPARE(batches.header().baseOffset, expectedBase);
                    expectedBase = batches.header().nextOffset();
                    batchStarts.insert(batches.position());
                    QCOMPARE(log::decodeRecords(batches.batch(), fromFiles), log::BatchError::None);
                }
                QCOMPARE(batches.error(), log::BatchError::None);
                QCOMPARE(expectedBase, segment->nextOffset());
                // .index: 8-byte entries (relative offset, position), each pointing at a batch start.
                const log::Bytes index = readFile(directory.filePath(base + QStringLiteral(".index")));
                QCOMPARE(index.size() % 8, std::size_t(0));
                QCOMPARE(index.size() / 8, segment->offsetIndex().size());
                for (std::size_t at = 0; at < index.size(); at += 8) {
                    QVERIFY(be32(index, at) >= 0);
                    QVERIFY(batchStarts.count(static_cast<std::size_t>(be32(index, at + 4))) == 1);
                }
                // .timeindex: 12-byte entries (timestamp, relative offset), timestamps never falling.
                const log::Bytes timeIndex = readFile(directory.filePath(base + QStringLiteral(".timeindex")));
                QCOMPARE(timeIndex.size() % 12, std::size_t(0));
                for (std::size_t at = 12; at < timeIndex.size(); at += 12)
                    QVERIFY(be64(timeIndex, at) >= be64(timeIndex, at - 12));
            }
            // Decoded from the files: exactly the records the replica's log holds.
            const auto inLog
                = partitionLog.readRecords(partitionLog.logStartOffset(), partitionLog.logEndOffset(), 1 << 20);
            QCOMPARE(fromFiles.size(), inLog.size());
            QVERIFY(fromFiles == inLog);
            QVERIFY(QFile::exists(directory.filePath(QStringLiteral("leader-epoch-checkpoint"))));
        }
    }
    QVERIFY2(segments > 6, "segment.ms 3000 rolls more than one segment per replica");
}

QTEST_APPLESS_MAIN(TestLogDirs)
#include "test_logdirs.moc"
