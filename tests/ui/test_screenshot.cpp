// `brokerlab FILE --seed N --screenshot OUT.png --after SECONDS` end to end: the real executable runs the
// scenario to that virtual time, saves a PNG of the window at the requested size and exits 0; a bad scenario
// file fails with exit code 2 (bad input, as for brokerlab-cli), naming file, line and field on stderr.

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const char* kScenario = R"({"name":"shot","duration_ms":30000,"cluster":{"brokers":3},
  "topics":[{"name":"t","partitions":4,"replication_factor":3}],
  "producers":[{"id":"p","topic":"t","rate":300,"workload":{"kind":"orders"}}],
  "consumers":[{"id":"g","topics":["t"],"members":2,"config":{"auto.offset.reset":"earliest"}}]})";

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

struct Run {
    int exitCode = -1;
    QString standardError;
    QString standardOutput;
};

Run runBrokerlab(const QStringList& arguments,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(BROKERLAB_GUI_EXECUTABLE), arguments);
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
    }
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromLocal8Bit(process.readAllStandardError()), QString::fromLocal8Bit(process.readAllStandardOutput()) };
}

} // namespace

class TestScreenshot : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("QT_QPA_PLATFORM", "offscreen"); }

    void writesAPngOfTheRequestedSize()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("shot.json"), kScenario);
        const QString output = dir.filePath(QStringLiteral("out.png"));
        const Run run = runBrokerlab(
            { scenario, QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--screenshot"), output,
                QStringLiteral("--after"), QStringLiteral("3"), QStringLiteral("--size"), QStringLiteral("1200x880") });
        QVERIFY2(run.exitCode == 0, qPrintable(run.standardError));
        QImage image(output);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1200, 880));
        // Not a blank window: the picture has many colours (text, glyphs, bars, charts).
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    }

    void theBuiltInDemoIsTheDefault()
    {
        QTemporaryDir dir;
        const QString output = dir.filePath(QStringLiteral("demo.png"));
        const Run run
            = runBrokerlab({ QStringLiteral("--screenshot"), output, QStringLiteral("--after"), QStringLiteral("1") });
        QVERIFY2(run.exitCode == 0, qPrintable(run.standardError));
        QCOMPARE(QImage(output).size(), QSize(1440, 900));
    }

    void aBadScenarioFailsClearly()
    {
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("bad.json"),
            "{\"name\":\"bad\",\n\"cluster\":{\"brokers\":3},\n\"topics\":[{\"name\":\"t\",\"partitions\":\"many\"}]}");
        const QString output = dir.filePath(QStringLiteral("out.png"));
        const Run run = runBrokerlab(
            { scenario, QStringLiteral("--screenshot"), output, QStringLiteral("--after"), QStringLiteral("1") });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.standardError.contains(QStringLiteral("bad.json:3")), qPrintable(run.standardError));
        QVERIFY2(run.standardError.contains(QStringLiteral("topics[0].partitions")), qPrintable(run.standardError));
        QVERIFY(!QFile::exists(output));
    }

    void badArgumentsAreRefused()
    {
        QTemporaryDir dir;
        const Run run = runBrokerlab({ QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
            QStringLiteral("--after"), QStringLiteral("soon") });
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.standardError.contains(QStringLiteral("--after")));
        const Run unknownTab = runBrokerlab({ QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("y.png")),
            QStringLiteral("--after"), QStringLiteral("1"), QStringLiteral("--show"), QStringLiteral("nonsense") });
        QCOMPARE(unknownTab.exitCode, 2);
        QVERIFY(unknownTab.standardError.contains(QStringLiteral("--show needs timeline, consumers, groups")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("y.png"))));
    }

    // A terminal with no desktop session: help and screenshots still work, the window says why it cannot open
    // (Qt alone would abort with a message about its platform plugins).
    void withoutADisplay()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            environment.remove(QString::fromLatin1(name));
        const Run help = runBrokerlab({ QStringLiteral("--help") }, environment);
        QVERIFY2(help.exitCode == 0, qPrintable(help.standardError));
        QVERIFY2(help.standardOutput.contains(QStringLiteral("--screenshot")), qPrintable(help.standardOutput));

        QTemporaryDir dir;
        const QString output = dir.filePath(QStringLiteral("headless.png"));
        const Run shot = runBrokerlab(
            { QStringLiteral("--screenshot=") + output, QStringLiteral("--after"), QStringLiteral("1") }, environment);
        QVERIFY2(shot.exitCode == 0, qPrintable(shot.standardError));
        QCOMPARE(QImage(output).size(), QSize(1440, 900));

        const Run window = runBrokerlab({}, environment);
        QCOMPARE(window.exitCode, 2);
        QVERIFY2(window.standardError.contains(QStringLiteral("no display to open the window on")),
            qPrintable(window.standardError));
        QVERIFY2(window.standardError.contains(QStringLiteral("brokerlab-cli")), qPrintable(window.standardError));
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "test_screenshot.moc"
