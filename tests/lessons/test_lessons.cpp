// Every built-in lesson, run on its own seed: each assertion must hold, each watched event must
// happen, and each run's trace must hash to the golden value in lesson-traces.txt, so that a
// change in the engine's behaviour shows up as a changed lesson to review, never silently.

#include "lesson/builtins.h"
#include "lesson/lesson.h"
#include "lesson/lessonrun.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace brokerlab;
using namespace brokerlab::lesson;

namespace {

const std::string kGoldenFile = BROKERLAB_SOURCE_DIR "/tests/lessons/lesson-traces.txt";
// Keeps the lesson suite quick in CI: a lesson teaches one thing in a short run.
constexpr std::int64_t kMaxLessonDurationMs = 120000;

// "id variant" -> sha256; a lesson without variants has the variant "-".
std::map<std::string, std::string> readGolden()
{
    std::map<std::string, std::string> golden;
    std::ifstream in(kGoldenFile);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#')
            continue;
        std::istringstream fields(line);
        std::string id, variant, hash;
        fields >> id >> variant >> hash;
        golden[id + " " + variant] = hash;
    }
    return golden;
}

std::string variantKey(const std::string& name)
{
    std::string key = name.empty() ? std::string("-") : name;
    for (char& c : key) {
        if (c == ' ')
            c = '_';
    }
    return key;
}

Lesson loadBuiltin(const BuiltinLesson& builtin)
{
    auto loaded = loadLessonFile(builtin.resourcePath);
    if (auto* error = std::get_if<scenario::ScenarioError>(&loaded))
        qFatal("built-in lesson does not load: %s", error->toString().c_str());
    return std::get<Lesson>(std::move(loaded));
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT
    std::map<std::string, std::string> fresh_; // the hashes this run measured

private slots:
    void builtinsAreWellFormed()
    {
        const auto builtins = builtinLessons();
        QVERIFY(!builtins.empty());
        std::set<int> numbers;
        std::set<std::string> ids;
        for (const BuiltinLesson& builtin : builtins) {
            const Lesson lesson = loadBuiltin(builtin);
            QVERIFY2(numbers.insert(builtin.number).second, builtin.resourcePath.c_str());
            QVERIFY2(ids.insert(lesson.id).second, lesson.id.c_str());
            // The file is NN-<id>.json, so `brokerlab-cli lesson <id>` finds it.
            QCOMPARE(builtin.id, lesson.id);
            for (const Variant& variant : lesson.variants)
                QVERIFY2(variant.scenario.durationMs <= kMaxLessonDurationMs, lesson.id.c_str());
        }
    }

    // Issue 8's library: lessons 1 to 25, each number once.
    void theLibraryHasTwentyFiveLessons()
    {
        std::vector<int> numbers;
        for (const BuiltinLesson& builtin : builtinLessons())
            numbers.push_back(builtin.number);
        std::vector<int> expected(25);
        for (int i = 0; i < 25; ++i)
            expected[static_cast<std::size_t>(i)] = i + 1;
        QCOMPARE(numbers, expected);
    }

    // translations/lessontexts.cpp is what lupdate reads for the lessons' texts: it must list every text
    // of every built-in lesson, or a translator never sees the new ones.
    void translationSourceIsCurrent()
    {
        std::vector<Lesson> lessons;
        for (const BuiltinLesson& builtin : builtinLessons())
            lessons.push_back(loadBuiltin(builtin));
        const std::string expected = translationSource(lessons);
        QFile file(QStringLiteral(BROKERLAB_SOURCE_DIR "/translations/lessontexts.cpp"));
        const std::string current = file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
        if (current != expected) {
            const QString fresh = QDir::temp().filePath(QStringLiteral("lessontexts.cpp"));
            QFile out(fresh);
            if (out.open(QIODevice::WriteOnly))
                out.write(QByteArray::fromStdString(expected));
            QFAIL(qPrintable(QStringLiteral("translations/lessontexts.cpp is out of date; the current one is in ") + fresh
                + QStringLiteral(" (or run brokerlab-cli lesson --translation-source)")));
        }
    }

    void lessonHolds_data()
    {
        QTest::addColumn<QString>("resource");
        for (const BuiltinLesson& builtin : builtinLessons())
            QTest::addRow("%02d-%s", builtin.number, builtin.id.c_str()) << QString::fromStdString(builtin.resourcePath);
    }

    void lessonHolds()
    {
        QFETCH(QString, resource);
        const BuiltinLesson builtin { 0, {}, resource.toStdString() };
        const Lesson lesson = loadBuiltin(builtin);
        const LessonRun run = runLesson(lesson);
        std::string failures;
        for (std::size_t i = 0; i < lesson.assertions.size(); ++i) {
            const AssertionResult& result = run.assertions[i];
            if (!result.passed) {
                failures += "\n  " + lesson.assertions[i].describe(lesson) + ": measured " + scenario::toJson(result.measured)
                    + (result.error.empty() ? "" : " ERROR " + result.error) + (result.note.empty() ? "" : " (" + result.note + ")");
            }
        }
        for (std::size_t i = 0; i < lesson.watch.size(); ++i) {
            if (!run.watch[i].happened)
                failures += "\n  watched event " + lesson.watch[i].event + " never happened";
        }
        const std::map<std::string, std::string> golden = readGolden();
        std::string changed;
        for (const VariantRun& variantRun : run.runs) {
            const std::string key = lesson.id + " " + variantKey(variantRun.name);
            fresh_[key] = variantRun.traceSha256;
            auto it = golden.find(key);
            if (it == golden.end() || it->second != variantRun.traceSha256)
                changed += "\n  " + key + " " + variantRun.traceSha256 + " (golden: " + (it == golden.end() ? "none" : it->second) + ")";
        }
        QVERIFY2(failures.empty(), (lesson.id + ": assertions fail:" + failures).c_str());
        QVERIFY2(changed.empty(),
            (lesson.id + ": the engine behaves differently from the reviewed run; if the lesson still teaches what it "
                         "should, update tests/lessons/lesson-traces.txt (cleanupTestCase writes the fresh file):" + changed)
                .c_str());
    }

    void cleanupTestCase()
    {
        // The golden file as this run would have it, for review and copying over the checked-in one.
        const QString path = QDir::temp().filePath(QStringLiteral("lesson-traces.txt"));
        std::ofstream out(path.toStdString());
        out << "# id variant trace_sha256: the reviewed trace of each built-in lesson's runs (tests/lessons/test_lessons.cpp)\n";
        for (const auto& [key, hash] : fresh_)
            out << key << " " << hash << "\n";
        qInfo("fresh lesson traces written to %s", qPrintable(path));
    }
};

QTEST_GUILESS_MAIN(TestLessons)
#include "test_lessons.moc"
