// The lesson format: what a lesson author gets for a mistake (an error naming the field), how
// report paths, reductions and quantifiers read a report, variants' patches, and the schema file.
// The JSON texts live in lessonformatcases.cpp.

#include "driver/engine.h"
#include "driver/report.h"
#include "lesson/lessonschema.h"
#include "lessonformatcases.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace brokerlab;
using namespace brokerlab::lesson;
using namespace brokerlab::lesson::testing;
using scenario::JsonValue;

class TestLessonFormat : public QObject {
    Q_OBJECT
private slots:
    void aLessonLoads()
    {
        const Lesson lesson = load(lessonJson(kAssertion));
        QCOMPARE(lesson.id, std::string("tiny"));
        QCOMPARE(lesson.variants.size(), std::size_t(1));
        QCOMPARE(lesson.seed, std::uint64_t(3));
        QCOMPARE(lesson.assertions.front().describe(lesson), std::string("acked == 5"));
        QCOMPARE(lesson.prediction.answer, 1);
    }

    void variantsPatchTheScenario()
    {
        const Lesson lesson = load(lessonJson(
            kCrossVariantAssertion,
            kVariants));
        QCOMPARE(lesson.variants.size(), std::size_t(2));
        QCOMPARE(lesson.variants[0].name, std::string("acks=1"));
        QCOMPARE(lesson.variants[0].scenario.producers[0].config.acks, std::int16_t(1));
        QCOMPARE(lesson.variants[1].scenario.producers[0].config.acks, std::int16_t(-1));
        // The patch changes only what it names.
        QCOMPARE(lesson.variants[0].scenario.producers[0].maxRecords, std::int64_t(5));
        QCOMPARE(lesson.assertions[0].expectedMeasure.variant, std::size_t(1));
        QCOMPARE(lesson.assertions[0].describe(lesson), std::string("[acks=1] checker.lost <= [acks=all] checker.lost"));
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        for (const ErrorCase& c : errorCases())
            QTest::addRow("%s", c.name.c_str()) << QString::fromStdString(c.text) << QString::fromStdString(c.field) << QString::fromStdString(c.message);
    }

    void errorsNameTheField()
    {
        QFETCH(QString, text);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const scenario::ScenarioError error = loadError(text.toStdString());
        QCOMPARE(QString::fromStdString(error.field), field);
        QVERIFY2(QString::fromStdString(error.message).contains(message), error.toString().c_str());
        QVERIFY(error.line > 0); // every one of these points into the file
    }

    void unknownNestedPathIsAnErrorAtEvaluation()
    {
        // The report's top-level keys are checked on load; deeper keys only exist once a run made them.
        const AssertionResult result
            = evaluateOn(kReport, kMisspelledNestedKey);
        QVERIFY(!result.passed);
        QVERIFY2(result.error.find("no key \"lsot\" in \"checker\" (did you mean \"lost\"?)") != std::string::npos,
            result.error.c_str());
        const AssertionResult missing
            = evaluateOn(kReport, kMissingFilterMatch);
        QVERIFY2(missing.error.find("no item of \"topics\" has name=order") != std::string::npos, missing.error.c_str());
    }

    void pathsReductionsAndQuantifiers_data()
    {
        QTest::addColumn<QString>("assertion");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<QString>("measured");
        for (const EvaluationCase& c : evaluationCases())
            QTest::addRow("%s", c.assertion.c_str()) << QString::fromStdString(c.assertion) << c.passed << QString::fromStdString(c.measured);
    }

    void pathsReductionsAndQuantifiers()
    {
        QFETCH(QString, assertion);
        QFETCH(bool, passed);
        QFETCH(QString, measured);
        const AssertionResult result = evaluateOn(kReport, assertion.toStdString());
        QVERIFY2(result.error.empty(), result.error.c_str());
        QCOMPARE(result.passed, passed);
        QCOMPARE(QString::fromStdString(scenario::toJson(result.measured)), measured);
    }

    void valuesThatCannotBeComparedAreAnError()
    {
        const AssertionResult result
            = evaluateOn(kReport, kUncomparable);
        QVERIFY(!result.passed);
        QVERIFY2(result.error.find("cannot compare \"orders\"") != std::string::npos, result.error.c_str());
    }

    void reportKeysAreTheReportsKeys()
    {
        // The list the loader checks paths against must follow the report (driver/report.cpp).
        const Lesson lesson = load(lessonJson(kAssertion));
        driver::Engine engine(lesson.variants.front().scenario, lesson.seed);
        engine.enableHistory();
        engine.start();
        driver::RunInfo info;
        info.checker = engine.checkHistory();
        const JsonValue report = driver::buildReport(engine, engine.snapshot(), info);
        std::vector<std::string_view> keys;
        for (const auto& member : report.members()) {
            if (member.key != "wall_ms")
                keys.push_back(member.key);
        }
        keys.push_back("events"); // added by the lesson runner
        keys.push_back("processing");
        QCOMPARE(keys, reportKeys());
    }

    void aTinyLessonRuns()
    {
        const Lesson lesson = load(lessonJson(
            kAssertion + kWrongExpectation,
            {}, kWatchEvents));
        const LessonRun run = runLesson(lesson);
        QCOMPARE(run.assertions.size(), std::size_t(2));
        QVERIFY(run.assertions[0].passed);
        QVERIFY(!run.assertions[1].passed);
        QCOMPARE(scenario::toJson(run.assertions[1].measured), std::string("5"));
        QVERIFY(run.watch[0].happened);
        QVERIFY(!run.watch[1].happened); // nothing fences a broker here
        QVERIFY(!run.passed());
        QVERIFY(!run.badLesson());
        // Same seed, same trace.
        QCOMPARE(runLesson(lesson).runs[0].traceSha256, run.runs[0].traceSha256);
        QVERIFY(runLesson(lesson, 4).runs[0].traceSha256 != run.runs[0].traceSha256);
    }

    void schemaFileMatchesTheLoader()
    {
        const auto parsedFile = scenario::parseJson(readFile(BROKERLAB_SOURCE_DIR "/docs/lesson.schema.json"));
        const JsonValue expected = lessonSchema();
        if (!parsedFile.ok() || !(parsedFile.value == expected)) {
            const QString fresh = QDir::temp().filePath(QStringLiteral("lesson.schema.json"));
            QFile out(fresh);
            if (out.open(QIODevice::WriteOnly))
                out.write(QByteArray::fromStdString(scenario::toJson(expected, true) + "\n"));
            QFAIL(qPrintable(QStringLiteral("docs/lesson.schema.json is out of date; the current schema is in ") + fresh));
        }
    }

    void documentedExampleRuns()
    {
        const std::string text = documentedExample();
        QVERIFY(!text.empty());
        const Lesson lesson = load(text);
        QCOMPARE(lesson.variants.size(), std::size_t(2));
        const LessonRun run = runLesson(lesson);
        QVERIFY2(run.passed(), "the example in docs/lessons.md must hold");
    }

    void translationSourceQuotesTexts()
    {
        Lesson lesson = load(lessonJson(kAssertion));
        lesson.title = "Say \"hi\"\\";
        const std::string source = translationSource({ lesson });
        QVERIFY(source.find("QT_TRANSLATE_NOOP(\"lesson\", \"Say \\\"hi\\\"\\\\\"),") != std::string::npos);
        QVERIFY(source.find(kTranslatedWhy) != std::string::npos);
        QCOMPARE(translate("Every order is acknowledged."), std::string("Every order is acknowledged."));
    }
};

QTEST_GUILESS_MAIN(TestLessonFormat)
#include "test_lessonformat.moc"
