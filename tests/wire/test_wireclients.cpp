// Real Kafka clients against `brokerlab-cli serve`: kcat (metadata, produce, consume) and a
// librdkafka producer (idempotence, a broker crash under acks=all). Every listener takes a free
// port (--port-base 0) and every client call has a timeout, so the test never hangs.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

const QString kData = QStringLiteral(BROKERLAB_TEST_DATA "/wire");

struct Served {
    QProcess process;
    QString bootstrap;
    QString reportPath;

    bool start(const QString& scenario, const QString& report = {})
    {
        QStringList args { QStringLiteral("serve"), scenario, QStringLiteral("--port-base"), QStringLiteral("0") };
        if (!report.isEmpty())
            args << QStringLiteral("--report") << report;
        process.start(QStringLiteral(BROKERLAB_CLI), args);
        if (!process.waitForStarted(10000))
            return false;
        QByteArray output;
        QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired() && !output.contains('\n')) {
            process.waitForReadyRead(200);
            output += process.readAllStandardOutput();
            if (process.state() == QProcess::NotRunning)
                return false;
        }
        const QString line = QString::fromUtf8(output).trimmed();
        if (!line.startsWith(QStringLiteral("bootstrap: ")))
            return false;
        bootstrap = line.mid(11);
        return true;
    }
    // SIGTERM, as a user's Ctrl-C or a service manager would.
    bool terminate()
    {
        process.terminate();
        if (process.waitForFinished(15000))
            return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        process.kill();
        process.waitForFinished(5000);
        return false;
    }
    ~Served()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result run(const QString& program, const QStringList& args, const QByteArray& input = {}, int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, args);
    Result result;
    if (!process.waitForStarted(10000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// (partition, offset) -> value, read back with kcat from the beginning to the end of every partition.
QMap<QPair<int, qint64>, QString> consumeAll(const QString& kcat, const QString& bootstrap, const QString& topic)
{
    const Result result = run(kcat,
        { QStringLiteral("-b"), bootstrap, QStringLiteral("-C"), QStringLiteral("-t"), topic, QStringLiteral("-o"),
            QStringLiteral("beginning"), QStringLiteral("-e"), QStringLiteral("-q"), QStringLiteral("-f"),
            QStringLiteral("%p %o %s\\n") });
    QMap<QPair<int, qint64>, QString> records;
    if (result.exitCode != 0)
        return records;
    for (const QByteArray& line : result.out.split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() == 3)
            records.insert({ fields[0].toInt(), fields[1].toLongLong() }, QString::fromUtf8(fields[2]));
    }
    return records;
}

// Offsets of each partition run 0, 1, 2, ... with no gap.
bool offsetsContiguous(const QMap<QPair<int, qint64>, QString>& records)
{
    QMap<int, qint64> next;
    for (auto it = records.begin(); it != records.end(); ++it) {
        if (it.key().second != next.value(it.key().first, 0))
            return false;
        next[it.key().first] = it.key().second + 1;
    }
    return true;
}

int connectTo(const QString& hostPort)
{
    const int colon = static_cast<int>(hostPort.lastIndexOf(QLatin1Char(':')));
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(hostPort.mid(colon + 1).toInt()));
    inet_pton(AF_INET, hostPort.left(colon).toLatin1().constData(), &address.sin_addr);
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Reads one response frame; empty when the broker closed the connection (or after 5 s).
QByteArray readFrame(int fd)
{
    auto readExactly = [fd](char* into, std::size_t size) {
        std::size_t got = 0;
        while (got < size) {
            const ssize_t n = ::recv(fd, into + got, size - got, 0);
            if (n <= 0)
                return false;
            got += static_cast<std::size_t>(n);
        }
        return true;
    };
    unsigned char sizeBytes[4];
    if (!readExactly(reinterpret_cast<char*>(sizeBytes), 4))
        return {};
    const quint32 size = (quint32(sizeBytes[0]) << 24) | (quint32(sizeBytes[1]) << 16) | (quint32(sizeBytes[2]) << 8)
        | quint32(sizeBytes[3]);
    QByteArray body(static_cast<int>(size), Qt::Uninitialized);
    if (!readExactly(body.data(), size))
        return {};
    return body;
}

QByteArray bigEndian(qint64 v, int width)
{
    QByteArray bytes;
    for (int i = width - 1; i >= 0; --i)
        bytes.append(char((v >> (8 * i)) & 0xff));
    return bytes;
}
QByteArray be16(int v) { return bigEndian(v, 2); }
QByteArray be32(qint64 v) { return bigEndian(v, 4); }
QByteArray frame(const QByteArray& body) { return be32(body.size()) + body; }
QByteArray apiVersionsV0(int correlationId)
{
    return frame(be16(18) + be16(0) + be32(correlationId) + be16(4) + QByteArray("test"));
}

} // namespace

class TestWireClients : public QObject {
    Q_OBJECT

private:
    QString kcat;
    QString wireclient = QStringLiteral(BROKERLAB_WIRECLIENT);
    QString wireadmin = QStringLiteral(BROKERLAB_WIREADMIN);

private slots:
    void initTestCase()
    {
        kcat = QStandardPaths::findExecutable(QStringLiteral("kcat"));
        if (kcat.isEmpty())
            QSKIP("kcat is not installed (.ci/setup installs it)");
    }

    void metadataShowsTheEnginesLeadersReplicasAndIsr()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json"), report));
        const Result listed = run(kcat, { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-L"), QStringLiteral("-J") });
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(served.terminate());

        const QJsonObject metadata = QJsonDocument::fromJson(listed.out).object();
        const QJsonArray brokers = metadata.value(QStringLiteral("brokers")).toArray();
        QCOMPARE(brokers.size(), 3);
        QSet<int> brokerIds;
        for (const auto& broker : brokers) {
            brokerIds.insert(broker.toObject().value(QStringLiteral("id")).toInt());
            // Every advertised address is one of the listeners of the bootstrap line.
            QVERIFY(served.bootstrap.contains(broker.toObject().value(QStringLiteral("name")).toString()));
        }
        QVERIFY(brokerIds.contains(metadata.value(QStringLiteral("controllerid")).toInt()));

        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject engine = QJsonDocument::fromJson(file.readAll()).object();
        QMap<int, QJsonObject> enginePartitions;
        for (const auto& topic : engine.value(QStringLiteral("topics")).toArray())
            if (topic.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("orders"))
                for (const auto& partition : topic.toObject().value(QStringLiteral("partitions")).toArray())
                    enginePartitions.insert(partition.toObject().value(QStringLiteral("partition")).toInt(), partition.toObject());
        QCOMPARE(enginePartitions.size(), 3);

        int compared = 0;
        for (const auto& topic : metadata.value(QStringLiteral("topics")).toArray()) {
            if (topic.toObject().value(QStringLiteral("topic")).toString() != QStringLiteral("orders"))
                continue;
            for (const auto& value : topic.toObject().value(QStringLiteral("partitions")).toArray()) {
                const QJsonObject partition = value.toObject();
                const QJsonObject expected = enginePartitions.value(partition.value(QStringLiteral("partition")).toInt());
                QCOMPARE(partition.value(QStringLiteral("leader")).toInt(), expected.value(QStringLiteral("leader")).toInt());
                QList<int> replicas, isr, expectedReplicas, expectedIsr;
                for (const auto& r : partition.value(QStringLiteral("replicas")).toArray())
                    replicas << r.toObject().value(QStringLiteral("id")).toInt();
                for (const auto& r : partition.value(QStringLiteral("isrs")).toArray())
                    isr << r.toObject().value(QStringLiteral("id")).toInt();
                for (const auto& r : expected.value(QStringLiteral("replicas")).toArray())
                    expectedReplicas << r.toInt();
                for (const auto& r : expected.value(QStringLiteral("isr")).toArray())
                    expectedIsr << r.toInt();
                QCOMPARE(replicas, expectedReplicas);
                QCOMPARE(isr, expectedIsr);
                ++compared;
            }
        }
        QCOMPARE(compared, 3);
    }

    void produceAndConsumeWithKcat()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        QByteArray input;
        for (int i = 0; i < 300; ++i)
            input += "record-" + QByteArray::number(i) + '\n';
        const Result produced = run(kcat,
            { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), QStringLiteral("orders"),
                QStringLiteral("-X"), QStringLiteral("acks=all"), QStringLiteral("-X"), QStringLiteral("partitioner=random") },
            input);
        QCOMPARE(produced.exitCode, 0);
        const auto records = consumeAll(kcat, served.bootstrap, QStringLiteral("orders"));
        QCOMPARE(records.size(), 300);
        QSet<QString> values(records.begin(), records.end());
        QCOMPARE(values.size(), 300);
        QVERIFY(values.contains(QStringLiteral("record-0")) && values.contains(QStringLiteral("record-299")));
        QVERIFY(offsetsContiguous(records));
    }

    void topicIsAutoCreatedOnFirstUse()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        const Result produced = run(kcat,
            { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-P"), QStringLiteral("-t"), QStringLiteral("fresh") },
            "a\nb\nc\n");
        QCOMPARE(produced.exitCode, 0);
        const auto records = consumeAll(kcat, served.bootstrap, QStringLiteral("fresh"));
        QCOMPARE(records.size(), 3);
    }

    void idempotentProducerGetsAProducerIdAndNoDuplicates()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        const Result produced = run(wireclient,
            { served.bootstrap, QStringLiteral("orders"), QStringLiteral("2000"), QStringLiteral("--idempotent") });
        QVERIFY2(produced.exitCode == 0, produced.err.constData());
        QCOMPARE(produced.out.count("acked "), 2000);
        const auto records = consumeAll(kcat, served.bootstrap, QStringLiteral("orders"));
        QCOMPARE(records.size(), 2000);
        QSet<QString> values(records.begin(), records.end());
        QCOMPARE(values.size(), 2000);
        QVERIFY(offsetsContiguous(records));
    }

    void brokerCrashLosesNoAcknowledgedRecord()
    {
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/crash-broker-1.json"), report));
        // About 8 s of producing (2 ms apart): broker 1 crashes at 2 s, is fenced 1.5 s later (its
        // partitions get new leaders) and restarts at 9 s.
        const Result produced = run(wireclient,
            { served.bootstrap, QStringLiteral("orders"), QStringLiteral("4000"), QStringLiteral("--interval-us"),
                QStringLiteral("2000"), QStringLiteral("--idempotent") },
            {}, 120000);
        QVERIFY2(produced.exitCode == 0 || produced.exitCode == 3, produced.err.constData());
        QMap<QPair<int, qint64>, QString> acked;
        for (const QByteArray& line : produced.out.split('\n')) {
            const QList<QByteArray> fields = line.split(' ');
            if (fields.size() == 4 && fields[0] == "acked")
                acked.insert({ fields[1].toInt(), fields[2].toLongLong() }, QString::fromUtf8(fields[3]));
        }
        QVERIFY2(acked.size() > 3000, qPrintable(QStringLiteral("only %1 acknowledged").arg(acked.size())));
        const auto records = consumeAll(kcat, served.bootstrap, QStringLiteral("orders"));
        int missing = 0;
        for (auto it = acked.begin(); it != acked.end(); ++it)
            if (records.value(it.key()) != it.value())
                ++missing;
        QCOMPARE(missing, 0);
        QVERIFY(served.terminate());
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject engine = QJsonDocument::fromJson(file.readAll()).object();
        // The leaderships broker 1 held moved while the producer ran.
        QVERIFY(engine.value(QStringLiteral("elections")).toInt() >= 1);
    }

    void badFramesCloseTheConnectionAndTheBrokerCarriesOn()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        const QString first = served.bootstrap.section(QLatin1Char(','), 0, 0);
        const QList<QByteArray> bad {
            be32(-5), // negative size
            be32(200 * 1024 * 1024), // past socket.request.max.bytes
            frame(be16(999) + be16(0) + be32(1) + be16(-1)), // unknown api key
            frame(be16(3) + be16(14) + be32(1) + be16(-1) + be32(-1)), // Metadata v14: not advertised
            frame(be16(3) + be16(4) + be32(1) + be16(-1) + be32(5)), // Metadata v4 claiming 5 topics, none sent
            frame(be16(0) + be16(3) + be32(1)), // truncated header
        };
        for (const QByteArray& bytes : bad) {
            const int fd = connectTo(first);
            QVERIFY(fd >= 0);
            QCOMPARE(::send(fd, bytes.constData(), static_cast<std::size_t>(bytes.size()), MSG_NOSIGNAL), ssize_t(bytes.size()));
            QVERIFY(readFrame(fd).isEmpty()); // closed, no answer
            ::close(fd);
        }
        // ApiVersions in a version from the future gets UNSUPPORTED_VERSION (35) in v0 and the ranges.
        const int fd = connectTo(first);
        const QByteArray future = frame(be16(18) + be16(99) + be32(7) + be16(-1));
        ::send(fd, future.constData(), static_cast<std::size_t>(future.size()), MSG_NOSIGNAL);
        const QByteArray answer = readFrame(fd);
        QVERIFY(answer.size() > 8);
        QCOMPARE(answer.left(4), be32(7));
        QCOMPARE(answer.mid(4, 2), be16(35));
        // ... and the broker still answers a good request.
        const QByteArray good = apiVersionsV0(8);
        ::send(fd, good.constData(), static_cast<std::size_t>(good.size()), MSG_NOSIGNAL);
        const QByteArray ok = readFrame(fd);
        QCOMPARE(ok.left(4), be32(8));
        QCOMPARE(ok.mid(4, 2), be16(0));
        ::close(fd);

        // A good request and then a bad one in the same write: as a Kafka broker reads one request per
        // connection at a time, the good one is answered before the connection closes (kafka-python's
        // version probe relies on this).
        const int pipelined = connectTo(first);
        const QByteArray twoRequests = frame(be16(3) + be16(1) + be32(21) + be16(-1) + be32(-1)) // Metadata v1
            + frame(be16(999) + be16(0) + be32(22) + be16(-1)); // unknown api key
        ::send(pipelined, twoRequests.constData(), static_cast<std::size_t>(twoRequests.size()), MSG_NOSIGNAL);
        QCOMPARE(readFrame(pipelined).left(4), be32(21));
        QVERIFY(readFrame(pipelined).isEmpty()); // then closed
        ::close(pipelined);

        const Result listed = run(kcat, { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-L") });
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(served.terminate());
    }

    void groupConsumerWithTwoMembersRebalances()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        const QStringList args { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-u"), QStringLiteral("-G"), QStringLiteral("lab-group"),
            QStringLiteral("-X"), QStringLiteral("auto.offset.reset=earliest"), QStringLiteral("-f"),
            QStringLiteral("%p %o %s\\n"), QStringLiteral("orders") };
        QProcess first, second;
        QByteArray firstLog, secondLog, firstOut, secondOut;
        auto waitFor = [](QProcess& process, QByteArray& log, QByteArray& out, const QByteArray& needle, int count) {
            QDeadlineTimer deadline(30000);
            while (!deadline.hasExpired() && log.count(needle) < count && process.state() == QProcess::Running) {
                process.waitForReadyRead(100);
                log += process.readAllStandardError();
                out += process.readAllStandardOutput();
            }
            return log.count(needle) >= count;
        };
        first.start(kcat, args);
        QVERIFY(first.waitForStarted(10000));
        QVERIFY(waitFor(first, firstLog, firstOut, "assigned:", 1));
        QVERIFY2(firstLog.contains("orders [0], orders [1], orders [2]"), firstLog.constData());
        // A second member joins: the group rebalances and the partitions are split between them.
        second.start(kcat, args);
        QVERIFY(second.waitForStarted(10000));
        QVERIFY2(waitFor(second, secondLog, secondOut, "assigned:", 1), secondLog.constData());
        QVERIFY(waitFor(first, firstLog, firstOut, "assigned:", 2));
        QVERIFY(firstLog.contains("revoked:"));
        // The two members split the three partitions between them.
        auto lastAssignment = [](const QByteArray& log) {
            QSet<int> partitions;
            const QByteArray line = log.mid(log.lastIndexOf("assigned:")).split('\n').value(0);
            for (const QByteArray& part : line.split('['))
                if (part.contains(']'))
                    partitions.insert(part.left(part.indexOf(']')).toInt());
            return partitions;
        };
        const QSet<int> firstPartitions = lastAssignment(firstLog), secondPartitions = lastAssignment(secondLog);
        QVERIFY2(!firstPartitions.isEmpty() && !secondPartitions.isEmpty() && !firstPartitions.intersects(secondPartitions)
                && (firstPartitions + secondPartitions) == QSet<int>({ 0, 1, 2 }),
            QByteArray(firstLog + "\n---\n" + secondLog).constData());

        // 30 records into each partition, so whichever member owns a partition has records to read.
        for (int partition = 0; partition < 3; ++partition) {
            QByteArray input;
            for (int i = 0; i < 30; ++i)
                input += "after-join-" + QByteArray::number(partition * 30 + i) + '\n';
            const Result produced = run(kcat,
                { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-P"), QStringLiteral("-t"),
                    QStringLiteral("orders"), QStringLiteral("-p"), QString::number(partition) },
                input);
            QCOMPARE(produced.exitCode, 0);
        }
        auto received = [](const QByteArray& out) {
            QSet<QString> values;
            for (const QByteArray& line : out.split('\n'))
                if (line.contains("after-join-"))
                    values.insert(QString::fromUtf8(line).section(QLatin1Char(' '), 2));
            return values;
        };
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired() && (received(firstOut) + received(secondOut)).size() < 90) {
            first.waitForReadyRead(50);
            second.waitForReadyRead(50);
            firstOut += first.readAllStandardOutput();
            secondOut += second.readAllStandardOutput();
        }
        QCOMPARE((received(firstOut) + received(secondOut)).size(), 90);
        // Both members consumed from the partitions they own, unless a later rebalance (a slow
        // machine, a sanitizer build) moved them.
        firstLog += first.readAllStandardError();
        secondLog += second.readAllStandardError();
        if (firstLog.count("revoked:") == 1 && !secondLog.contains("revoked:")) {
            const QByteArray logs = firstLog + "\n---\n" + secondLog + "\n---\n" + firstOut + "\n---\n" + secondOut;
            QVERIFY2(!received(firstOut).isEmpty(), logs.constData());
            QVERIFY2(!received(secondOut).isEmpty(), logs.constData());
        }
        for (QProcess* process : { &first, &second }) {
            process->terminate();
            if (!process->waitForFinished(10000)) {
                process->kill();
                process->waitForFinished(5000);
            }
        }
    }

    void adminApiCreatesDescribesAndDeletesTopics()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        Result created = run(wireadmin,
            { served.bootstrap, QStringLiteral("create"), QStringLiteral("payments"), QStringLiteral("6"),
                QStringLiteral("2"), QStringLiteral("retention.ms=3600000") });
        QVERIFY2(created.exitCode == 0, created.out.constData());
        // The engine has it: kcat sees 6 partitions with 2 replicas each.
        const Result listed = run(kcat,
            { QStringLiteral("-b"), served.bootstrap, QStringLiteral("-L"), QStringLiteral("-t"), QStringLiteral("payments") });
        QVERIFY(listed.out.contains("with 6 partitions"));
        QCOMPARE(listed.out.count("replicas: "), 6);
        // Creating it again is TOPIC_ALREADY_EXISTS; a bad config value is INVALID_CONFIG with the reason.
        created = run(wireadmin,
            { served.bootstrap, QStringLiteral("create"), QStringLiteral("payments"), QStringLiteral("1"), QStringLiteral("1") });
        QCOMPARE(created.exitCode, 3);
        QVERIFY(created.out.contains("TOPIC_ALREADY_EXISTS"));
        created = run(wireadmin,
            { served.bootstrap, QStringLiteral("create"), QStringLiteral("bad"), QStringLiteral("1"), QStringLiteral("1"),
                QStringLiteral("cleanup.policy=shred") });
        QCOMPARE(created.exitCode, 3);
        QVERIFY2(created.out.contains("INVALID_CONFIG") && created.out.contains("cleanup.policy"), created.out.constData());
        // DescribeConfigs shows the value set at creation as a topic override.
        const Result described
            = run(wireadmin, { served.bootstrap, QStringLiteral("describe"), QStringLiteral("payments") });
        QCOMPARE(described.exitCode, 0);
        QVERIFY2(described.out.contains("retention.ms=3600000\n"), described.out.constData());
        QVERIFY(described.out.contains("source retention.ms DYNAMIC_TOPIC_CONFIG"));
        // min.insync.replicas=2 comes from the scenario's broker config; segment.bytes is Kafka's default.
        QVERIFY(described.out.contains("source min.insync.replicas STATIC_BROKER_CONFIG"));
        QVERIFY(described.out.contains("source segment.bytes DEFAULT_CONFIG"));
        // DeleteTopics removes it.
        const Result deleted = run(wireadmin, { served.bootstrap, QStringLiteral("delete"), QStringLiteral("payments") });
        QCOMPARE(deleted.exitCode, 0);
        const Result after = run(wireadmin, { served.bootstrap, QStringLiteral("describe"), QStringLiteral("payments") });
        QVERIFY(after.out.contains("UNKNOWN_TOPIC_OR_PART"));
    }

    void acksZeroGetsNoResponse()
    {
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        // A real client's Produce v3 body (kafkajs capture) with acks set to 0, then ApiVersions:
        // the first answer on the connection must be the ApiVersions one.
        QFile file(QStringLiteral(BROKERLAB_TEST_DATA "/kafka-wire/produce/v3_request.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray body;
        for (const auto& value : QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("data")).toArray())
            body.append(char(value.toInt()));
        body[2] = 0;
        body[3] = 0;
        const QByteArray produce = frame(be16(0) + be16(3) + be32(5) + be16(-1) + body);
        const QByteArray versions = apiVersionsV0(6);
        const int fd = connectTo(served.bootstrap.section(QLatin1Char(','), 0, 0));
        QVERIFY(fd >= 0);
        ::send(fd, produce.constData(), static_cast<std::size_t>(produce.size()), MSG_NOSIGNAL);
        ::send(fd, versions.constData(), static_cast<std::size_t>(versions.size()), MSG_NOSIGNAL);
        const QByteArray answer = readFrame(fd);
        QCOMPARE(answer.left(4), be32(6));
        ::close(fd);
    }

    // kafka-python (Debian's python3-kafka), a client written apart from librdkafka: its version probe,
    // an acks=all producer with headers, a group consumer that commits, its admin client, and two members
    // of one group rebalancing, each on its own thread.
    void kafkaPythonProducesConsumesAndRebalances()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"), { QStringLiteral("/usr/bin") });
        const Result probe = run(python.isEmpty() ? QStringLiteral("python3") : python,
            { QStringLiteral("-c"), QStringLiteral("import kafka") });
        if (probe.exitCode != 0) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("python3-kafka is not installed; .ci/setup installs it");
            QSKIP("python3-kafka is not installed (.ci/setup installs it)");
        }
        QTemporaryDir dir;
        const QString report = dir.filePath(QStringLiteral("report.json"));
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json"), report));
        const Result result = run(python.isEmpty() ? QStringLiteral("python3") : python,
            { QStringLiteral(BROKERLAB_KAFKAPYTHON), served.bootstrap }, {}, 240000);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(served.terminate());

        const QJsonObject seen = QJsonDocument::fromJson(result.out).object();
        const QJsonObject produced = seen.value(QStringLiteral("produce")).toObject();
        QCOMPARE(produced.value(QStringLiteral("acked")).toInt(), 600);
        QCOMPARE(produced.value(QStringLiteral("partitions")).toArray().size(), 3);
        // The probe read Brokerlab's ApiVersions answer (a broker it cannot identify reads as 0.9 or older).
        QVERIFY(produced.value(QStringLiteral("api_version")).toArray().at(0).toInt() >= 1);
        const QJsonObject consumed = seen.value(QStringLiteral("consume")).toObject();
        QCOMPARE(consumed.value(QStringLiteral("consumed")).toInt(), 600);
        QCOMPARE(consumed.value(QStringLiteral("distinct_numbers")).toInt(), 600);
        QVERIFY(consumed.value(QStringLiteral("headers_ok")).toBool());
        const QJsonObject admin = seen.value(QStringLiteral("admin")).toObject();
        QCOMPARE(admin.value(QStringLiteral("committed")).toInt(), 600);
        QVERIFY(admin.value(QStringLiteral("topics")).toArray().contains(QStringLiteral("py-created")));
        QVERIFY(admin.value(QStringLiteral("groups")).toArray().contains(QStringLiteral("py-group")));
        const QJsonObject pair = seen.value(QStringLiteral("rebalance")).toObject();
        QCOMPARE(pair.value(QStringLiteral("alone")).toInt(), 3);
        QSet<int> first, second;
        for (const auto& p : pair.value(QStringLiteral("first")).toArray())
            first.insert(p.toInt());
        for (const auto& p : pair.value(QStringLiteral("second")).toArray())
            second.insert(p.toInt());
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QVERIFY(!first.intersects(second));
        QCOMPARE((first + second).size(), 3);

        // The engine holds what the client saw: the created topic, and 600 records in orders.
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject engine = QJsonDocument::fromJson(file.readAll()).object();
        qint64 highWatermarks = 0;
        int createdPartitions = 0;
        for (const auto& topic : engine.value(QStringLiteral("topics")).toArray()) {
            const QJsonObject object = topic.toObject();
            const QJsonArray partitions = object.value(QStringLiteral("partitions")).toArray();
            if (object.value(QStringLiteral("name")).toString() == QStringLiteral("py-created"))
                createdPartitions = static_cast<int>(partitions.size());
            if (object.value(QStringLiteral("name")).toString() == QStringLiteral("orders"))
                for (const auto& partition : partitions)
                    highWatermarks += partition.toObject().value(QStringLiteral("high_watermark")).toInteger();
        }
        QCOMPARE(createdPartitions, 4);
        QCOMPARE(highWatermarks, qint64(600));
    }

    // KafkaJS, a third client written apart from the others (pure JavaScript). Debian does not package it, so CI
    // skips this; a developer runs it after `npm install kafkajs` with NODE_PATH naming that node_modules.
    void kafkaJsCreatesProducesConsumesAndCommits()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (node.isEmpty() || run(node, { QStringLiteral("-e"), QStringLiteral("require('kafkajs')") }).exitCode != 0)
            QSKIP("kafkajs is not available to Node.js (npm install kafkajs, then set NODE_PATH to its "
                  "node_modules); Debian does not package it");
        Served served;
        QVERIFY(served.start(kData + QStringLiteral("/three-brokers.json")));
        const Result result = run(node, { QStringLiteral(BROKERLAB_KAFKAJS), served.bootstrap }, {}, 180000);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(served.terminate());

        const QJsonObject seen = QJsonDocument::fromJson(result.out).object();
        const QJsonArray partitions = seen.value(QStringLiteral("partitions")).toArray();
        QCOMPARE(partitions.size(), 3);
        QSet<int> leaders;
        for (const auto& partition : partitions) {
            leaders.insert(partition.toObject().value(QStringLiteral("leader")).toInt());
            QCOMPARE(partition.toObject().value(QStringLiteral("isr")).toArray().size(), 3);
        }
        QVERIFY(leaders.size() >= 2); // spread over the brokers, as the controller places them
        QCOMPARE(seen.value(QStringLiteral("produce")).toObject().value(QStringLiteral("errors")).toInt(), 0);
        const QJsonObject consumed = seen.value(QStringLiteral("consume")).toObject();
        QCOMPARE(consumed.value(QStringLiteral("distinct")).toInt(), 300);
        QCOMPARE(consumed.value(QStringLiteral("consumed")).toInt(), 300); // idempotent: no duplicate
        QVERIFY(consumed.value(QStringLiteral("headersOk")).toBool());
        const QJsonObject admin = seen.value(QStringLiteral("admin")).toObject();
        QVERIFY(admin.value(QStringLiteral("groups")).toArray().contains(QStringLiteral("js-group")));
        QCOMPARE(admin.value(QStringLiteral("committed")).toInt(), 300);
    }
};

QTEST_GUILESS_MAIN(TestWireClients)
#include "test_wireclients.moc"
