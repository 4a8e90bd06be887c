// The workspace file: what is saved comes back on reopening; a corrupt, truncated, foreign or
// newer-format file gets a clear message and is never written to.

#include "store/exporter.h"
#include "storefixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

using namespace brokerlab;
using namespace storetest;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeAll(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write test file");
    file.write(bytes);
}

store::IngestBatch someRecords(int count)
{
    store::IngestBatch batch;
    store::PartitionUpdate update;
    update.topic = "orders";
    update.highWatermark = update.logEndOffset = count;
    for (int i = 0; i < count; ++i)
        update.records.push_back(record(i, 1000 + i, "k" + std::to_string(i),
            "{\"n\":" + std::to_string(i) + ",\"text\":\"" + std::string(200, 'x') + " word" + std::to_string(i)
                + "\"}",
            { { "h", std::string("v") }, { "null-header", std::nullopt } }));
    batch.partitions.push_back(std::move(update));
    return batch;
}

// A complete workspace file with `count` records, closed.
QString savedWorkspace(const QTemporaryDir& dir, const QString& name, int count)
{
    const QString path = dir.filePath(name);
    store::Workspace workspace("fixture");
    workspace.create(path.toStdString());
    workspace.ingest(someRecords(count));
    workspace.indexAll();
    workspace.close();
    return path;
}

QString openError(const QString& path)
{
    store::Workspace workspace("probe");
    try {
        workspace.open(path.toStdString());
    } catch (const store::StoreError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class TestWorkspaceFile : public QObject {
    Q_OBJECT
private slots:
    void saveAndReopen()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("round.blw")).toStdString();
        {
            store::Workspace workspace("writer");
            workspace.create(path);
            workspace.setMeta("scenario_json", "{\"name\":\"x\"}");
            workspace.setTopic({ "orders", 1, 3, "{\"cleanup.policy\":\"compact\"}", true });
            workspace.addEvents({ { 1000, "topic.created", "orders created" }, { 2000, "leader.elected", "b1" } });
            workspace.addMetric(1000, "acked", 5);
            workspace.addMetric(2000, "acked", 9);
            workspace.setCommittedOffsets({ { "g", "orders", 0, 17 } });
            workspace.saveSearch("big orders", "json:$.n=3");
            workspace.ingest(someRecords(50));
            workspace.indexAll();
            workspace.close();
        }
        QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal"))); // one self-contained file
        store::Workspace workspace("reader");
        workspace.open(path);
        QCOMPARE(workspace.meta("scenario_json").value_or(""), std::string("{\"name\":\"x\"}"));
        QCOMPARE(workspace.topics().size(), std::size_t(1));
        QCOMPARE(workspace.topics()[0].configJson, std::string("{\"cleanup.policy\":\"compact\"}"));
        QVERIFY(workspace.topics()[0].trigram);
        QCOMPARE(workspace.events().size(), std::size_t(2));
        QCOMPARE(workspace.events()[1].kind, std::string("leader.elected"));
        QCOMPARE(
            workspace.metric("acked"), (std::vector<std::pair<std::int64_t, double>> { { 1000, 5 }, { 2000, 9 } }));
        QCOMPARE(workspace.committedOffsets().size(), std::size_t(1));
        QCOMPARE(workspace.committedOffsets()[0].offset, std::int64_t(17));
        QCOMPARE(workspace.savedSearches().size(), std::size_t(1));
        QCOMPARE(workspace.recordCount(), std::int64_t(50));
        QCOMPARE(workspace.indexStatus().lag, std::int64_t(0));
        const auto records = workspace.readPartition("orders", 0, 10, 1);
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].record.key.value_or(""), std::string("k10"));
        QCOMPARE(records[0].record.headers.size(), std::size_t(2));
        QVERIFY(!records[0].record.headers[1].value.has_value());
        // Appending after reopening continues the sequence and the index.
        store::IngestBatch more = someRecords(60);
        more.partitions[0].records.erase(more.partitions[0].records.begin(), more.partitions[0].records.begin() + 50);
        workspace.ingest(more);
        workspace.indexAll();
        auto parsed = store::parseSearchQuery("word55");
        std::int64_t hits = 0;
        workspace.search(std::get<store::SearchQuery>(parsed), 0, nullptr,
            [&](std::vector<store::StoredRecord>&& chunk, const store::SearchProgress&) {
                hits += std::int64_t(chunk.size());
                return true;
            });
        QCOMPARE(hits, std::int64_t(1));
    }

    void saveCopyAs()
    {
        QTemporaryDir dir;
        const QString original = savedWorkspace(dir, QStringLiteral("a.blw"), 30);
        store::Workspace workspace("copier");
        workspace.open(original.toStdString());
        const std::string copy = dir.filePath(QStringLiteral("b.blw")).toStdString();
        workspace.saveCopyAs(copy);
        store::Workspace reopened("copy-reader");
        reopened.open(copy);
        QCOMPARE(reopened.recordCount(), std::int64_t(30));
        // Save As over a file that is not a workspace refuses and leaves that file alone.
        const QString text = dir.filePath(QStringLiteral("notes.txt"));
        writeAll(text, "my notes\n");
        QVERIFY_THROWS_EXCEPTION(store::StoreError, workspace.saveCopyAs(text.toStdString()));
        QCOMPARE(readAll(text), QByteArray("my notes\n"));
    }

    void createNeverReplacesAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("exists.blw"));
        writeAll(path, "precious");
        store::Workspace workspace("creator");
        QVERIFY_THROWS_EXCEPTION(store::StoreError, workspace.create(path.toStdString()));
        QCOMPARE(readAll(path), QByteArray("precious"));
    }

    void committedDataSurvivesACrash()
    {
        // Power cut after a commit: the file and its WAL as they are on disk, never closed.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.blw"));
        store::Workspace workspace("live");
        workspace.create(path.toStdString());
        workspace.ingest(someRecords(40));
        const QString crashed = dir.filePath(QStringLiteral("crashed.blw"));
        QVERIFY(QFile::copy(path, crashed));
        QVERIFY(QFile::copy(path + QStringLiteral("-wal"), crashed + QStringLiteral("-wal")));
        store::Workspace recovered("recovered");
        recovered.open(crashed.toStdString());
        QCOMPARE(recovered.recordCount(), std::int64_t(40));
        QCOMPARE(recovered.indexStatus().lag, std::int64_t(40)); // not indexed yet: still searchable as tail
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("missing") << "missing"
                                 << "no such file";
        QTest::addRow("directory") << "directory"
                                   << "is a directory";
        QTest::addRow("empty") << "empty"
                               << "empty";
        QTest::addRow("text file") << "text"
                                   << "not an SQLite database";
        QTest::addRow("foreign SQLite database") << "foreign"
                                                 << "not a Brokerlab workspace (application id 0x00000000";
        QTest::addRow("newer format") << "newer"
                                      << "newer Brokerlab (workspace format 7";
        QTest::addRow("truncated") << "truncated"
                                   << "truncated";
        QTest::addRow("header only") << "header-only"
                                     << "truncated";
        QTest::addRow("corrupt pages") << "corrupt"
                                       << "corrupt";
    }

    void badFiles()
    {
        QFETCH(QString, kind);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QString path = dir.filePath(QStringLiteral("bad.blw"));
        if (kind == QLatin1String("directory")) {
            QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("bad.blw")));
        } else if (kind == QLatin1String("empty")) {
            writeAll(path, {});
        } else if (kind == QLatin1String("text")) {
            writeAll(path, "topic,partition\norders,0\n");
        } else if (kind == QLatin1String("foreign")) {
            sqlite3* db = nullptr;
            sqlite3_open(path.toUtf8().constData(), &db);
            sqlite3_exec(
                db, "CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('x');", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        } else if (kind == QLatin1String("newer")) {
            path = savedWorkspace(dir, QStringLiteral("bad.blw"), 5);
            sqlite3* db = nullptr;
            sqlite3_open(path.toUtf8().constData(), &db);
            sqlite3_exec(db, "PRAGMA user_version=7;", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        } else if (kind == QLatin1String("truncated") || kind == QLatin1String("header-only")
            || kind == QLatin1String("corrupt")) {
            path = savedWorkspace(dir, QStringLiteral("bad.blw"), 400);
            QByteArray bytes = readAll(path);
            if (kind == QLatin1String("truncated"))
                bytes.truncate(bytes.size() / 2);
            else if (kind == QLatin1String("header-only"))
                bytes.truncate(60);
            else
                for (qsizetype i = 8192 * 3; i < bytes.size() - 8192; i += 8192)
                    std::fill(bytes.begin() + i + 100, bytes.begin() + i + 700, '\x5a'); // every page's cells
            writeAll(path, bytes);
        }
        const QByteArray before = readAll(path);
        const QString error = openError(path);
        QVERIFY2(error.contains(mentions), qPrintable(error));
        // Exports refuse to write over a workspace, a damaged or newer one too, and only over one.
        const bool workspaceHeader = kind == QLatin1String("newer") || kind == QLatin1String("truncated")
            || kind == QLatin1String("corrupt");
        QCOMPARE(store::isWorkspaceFile(path.toStdString()), workspaceHeader);
        if (kind != QLatin1String("missing"))
            QVERIFY2(error.startsWith(path), qPrintable(error)); // names the file
        QCOMPARE(readAll(path), before); // never written to
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        if (kind == QLatin1String("missing"))
            QVERIFY(!QFile::exists(path)); // and nothing created
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceFile)
#include "test_workspacefile.moc"
