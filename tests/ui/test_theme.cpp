// Light and dark themes: the palettes keep readable contrast, the custom painters (cluster view, legend, group state
// diagram, charts) take their colours from the palette rather than fixed ones, and View > Theme switches a running
// window. Readability is measured as WCAG's contrast ratio, on the rendered pixels.

#include "../common/testscenario.h"
#include "chartspanel.h"
#include "clusterview.h"
#include "groupstatediagram.h"
#include "legendwidget.h"
#include "mainwindow.h"
#include "statuscolors.h"
#include "theme.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <map>

using namespace brokerlab;
using namespace brokerlab::ui;

namespace {

double channel(double value) { return value <= 0.04045 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4); }

// WCAG 2 relative luminance and contrast ratio.
double luminance(const QColor& color)
{
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Rendering {
    QColor background; // the most common colour
    int readablePixels = 0; // pixels with at least 4.5:1 against the background: text and strokes
};

Rendering render(QWidget& widget)
{
    const QImage image = widget.grab().toImage().convertToFormat(QImage::Format_RGB32);
    std::map<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ++counts[image.pixel(x, y)];
    Rendering result;
    int most = 0;
    for (const auto& [rgb, count] : counts) {
        if (count > most) {
            most = count;
            result.background = QColor(rgb);
        }
    }
    for (const auto& [rgb, count] : counts) {
        if (contrast(QColor(rgb), result.background) >= 4.5)
            result.readablePixels += count;
    }
    return result;
}

const char* kScenario = R"({"name":"theme","duration_ms":60000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":3,"replication_factor":3}],
  "producers":[{"id":"p","topic":"orders","rate":100,"workload":{"kind":"orders"}}],
  "faults":[{"kind":"broker_crash","broker":3,"at_ms":2000}]})";

SnapshotPtr clusterSnapshot()
{
    static const SnapshotPtr snapshot = [] {
        auto engine = testing::startedEngine(kScenario, 1);
        testing::runForMs(*engine, 20000); // broker 3 fenced, its replicas out of the ISR
        return std::make_shared<const driver::Snapshot>(engine->snapshot());
    }();
    return snapshot;
}

std::unique_ptr<QWidget> painterWidget(const QString& name)
{
    if (name == QLatin1String("cluster view")) {
        auto view = std::make_unique<ClusterView>();
        view->setSnapshot(clusterSnapshot(), std::make_shared<const Rates>());
        view->resize(900, 420);
        return view;
    }
    if (name == QLatin1String("legend")) {
        auto legend = std::make_unique<LegendWidget>();
        legend->resize(900, legend->heightForWidth(900));
        return legend;
    }
    if (name == QLatin1String("state diagram")) {
        auto diagram = std::make_unique<GroupStateDiagram>();
        diagram->setState(3, QStringLiteral("Group billing: Stable, generation 4"));
        diagram->resize(640, diagram->minimumSizeHint().height());
        return diagram;
    }
    auto charts = std::make_unique<ChartsPanel>();
    charts->record(*clusterSnapshot(), Rates {});
    charts->refreshNow();
    charts->resize(900, 300);
    return charts;
}

// The application's palette reaches its widgets through posted events: deliver them, as the event loop would.
void switchTo(Theme theme)
{
    applyTheme(theme);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

} // namespace

class TestTheme : public QObject {
    Q_OBJECT
private slots:
    void cleanup() { switchTo(Theme::System); }

    void themeNamesRoundTrip()
    {
        for (Theme theme : { Theme::System, Theme::Light, Theme::Dark })
            QCOMPARE(themeFromKey(themeKey(theme)), std::optional<Theme>(theme));
        QCOMPARE(themeFromKey(QStringLiteral("DARK")), std::optional<Theme>(Theme::Dark));
        QVERIFY(!themeFromKey(QStringLiteral("sepia")));
    }

    void stateColoursAreReadable_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addRow("light") << false;
        QTest::addRow("dark") << true;
    }
    void stateColoursAreReadable()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? darkPalette() : lightPalette();
        const StatusColors colors = StatusColors::from(palette);
        QCOMPARE(colors.dark, dark);
        QVERIFY(contrast(colors.text, colors.base) >= 7);
        QVERIFY(contrast(palette.color(QPalette::WindowText), palette.color(QPalette::Window)) >= 7);
        QVERIFY(contrast(colors.mutedText, colors.base) >= 4.5);
        QVERIFY(contrast(palette.color(QPalette::PlaceholderText), palette.color(QPalette::Window)) >= 3);
        QVERIFY(contrast(palette.color(QPalette::HighlightedText), palette.color(QPalette::Highlight)) >= 4.5);
        // The states are words in the details panel as well as shapes: text contrast against Base.
        for (const QColor& state : { colors.leader, colors.inSync, colors.outOfSync, colors.offline })
            QVERIFY2(contrast(state, colors.base) >= 4.5, qPrintable(state.name()));
        // Row tints stay tints: the text on top of them keeps its contrast.
        for (const QColor& tint : { colors.warningTint, colors.errorTint, colors.band })
            QVERIFY2(contrast(colors.text, tint) >= 7, qPrintable(tint.name()));
    }

    void paintersFollowThePalette_data()
    {
        QTest::addColumn<QString>("painter");
        QTest::addColumn<bool>("dark");
        for (const char* painter : { "cluster view", "legend", "state diagram", "charts" }) {
            QTest::addRow("%s, light", painter) << QString::fromLatin1(painter) << false;
            QTest::addRow("%s, dark", painter) << QString::fromLatin1(painter) << true;
        }
    }
    void paintersFollowThePalette()
    {
        QFETCH(QString, painter);
        QFETCH(bool, dark);
        switchTo(dark ? Theme::Dark : Theme::Light);
        std::unique_ptr<QWidget> widget = painterWidget(painter);
        const Rendering rendering = render(*widget);
        // The surface is the theme's, and text and lines stand out from it.
        QCOMPARE(luminance(rendering.background) < 0.2, dark);
        QVERIFY2(rendering.readablePixels >= 150, qPrintable(QString::number(rendering.readablePixels)));
        // The same widget after a switch at run time follows too.
        switchTo(dark ? Theme::Light : Theme::Dark);
        const Rendering switched = render(*widget);
        QCOMPARE(luminance(switched.background) < 0.2, !dark);
        QVERIFY2(switched.readablePixels >= 150, qPrintable(QString::number(switched.readablePixels)));
    }

    void theChoiceIsKeptInTheSettings()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings under a test location, not the person's
        QCoreApplication::setOrganizationName(QStringLiteral("BrokerlabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_theme"));
        QSettings().remove(QStringLiteral("view/theme"));
        QCOMPARE(savedTheme(), Theme::System);
        QWidget parent;
        QMenu* menu = createThemeMenu(&parent, true);
        menu->findChild<QAction*>(QStringLiteral("actionThemedark"))->trigger();
        QCOMPARE(currentTheme(), Theme::Dark);
        QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
        QCOMPARE(savedTheme(), Theme::Dark);
        // A menu made later (the next run's window) starts with the kept choice checked.
        QMenu* next = createThemeMenu(&parent, true);
        QVERIFY(next->findChild<QAction*>(QStringLiteral("actionThemedark"))->isChecked());
        // A window that is not persistent (a screenshot, a test) changes the theme but not the settings.
        QMenu* transient = createThemeMenu(&parent, false);
        transient->findChild<QAction*>(QStringLiteral("actionThemelight"))->trigger();
        QCOMPARE(currentTheme(), Theme::Light);
        QCOMPARE(savedTheme(), Theme::Dark);
        QSettings().remove(QStringLiteral("view/theme"));
    }

    void theViewMenuSwitchesTheTheme()
    {
        MainWindow window(false);
        window.openScenario(testing::scenarioFromJson(kScenario), 1, QStringLiteral("inline.json"), true);
        auto* menu = window.findChild<QMenu*>(QStringLiteral("themeMenu"));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 3);
        auto* dark = window.findChild<QAction*>(QStringLiteral("actionThemedark"));
        QVERIFY(dark);
        dark->trigger();
        QCoreApplication::processEvents();
        QCOMPARE(currentTheme(), Theme::Dark);
        QVERIFY(dark->isChecked());
        QVERIFY(StatusColors::from(window.clusterView()->palette()).dark);
        window.findChild<QAction*>(QStringLiteral("actionThemelight"))->trigger();
        QCoreApplication::processEvents();
        QVERIFY(!StatusColors::from(window.clusterView()->palette()).dark);
    }
};

QTEST_MAIN(TestTheme)
#include "test_theme.moc"
