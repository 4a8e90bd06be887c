// brokerlab: the desktop application. Wiring only; everything else lives in ui/ and engine/.
//
//   brokerlab                      the built-in demo, running in real time
//   brokerlab FILE [--seed N]      a scenario file (a bad one: a message naming file, line and field, then the demo)
//   brokerlab [FILE] --port-base P [--host ADDRESS]
//                                  also listen for real Kafka clients (broker N on port P+N-1; 0: free ports)
//   brokerlab FILE --screenshot OUT.png --after SECONDS [--size WxH]
//                                  run as fast as possible to SECONDS of virtual time, save the window, exit
//   brokerlab ... --theme system|light|dark
//                                  the colour theme for this run (default: View > Theme, kept in the settings)
//
// Without a display (no DISPLAY or WAYLAND_DISPLAY, no platform chosen), --help, --version and --screenshot run
// off screen, and opening the window fails with a message that says why.

#include "listenercontroller.h"
#include "mainwindow.h"
#include "scenariofiles.h"
#include "screenshotrunner.h"
#include "theme.h"
#include "workspacecontroller.h"
#include "workspacemenu.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <optional>
#include <string_view>

#ifndef BROKERLAB_VERSION
#define BROKERLAB_VERSION "0.0.0"
#endif

using namespace brokerlab;

namespace {

void installTranslators(QCoreApplication& app)
{
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto* own = new QTranslator(&app);
    // English is the source language, but its plural forms ("1 partition", "2 partitions") live in brokerlab_en:
    // load it whenever no translation matches the locale (the C locale of a test run included).
    if (own->load(QLocale(), QStringLiteral("brokerlab"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || own->load(QStringLiteral("brokerlab_en"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

enum class Screen { Available, NotNeeded, Missing };

// Whether this run can show a window. Qt on Linux with nothing to connect to ends the process with a message about
// its platform plugins; what the person asked for decides instead: text (--help, --version) and pictures
// (--screenshot) need no screen, the window does.
Screen screenFor(int argc, char** argv)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return Screen::Available;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument(argv[i]);
        if (argument == "-platform" || argument == "--platform")
            return Screen::Available; // the person chose one
        if (argument == "-h" || argument == "--help" || argument == "--help-all" || argument == "-v"
            || argument == "--version" || argument == "--screenshot" || argument.starts_with("--screenshot="))
            return Screen::NotNeeded;
    }
    return Screen::Missing;
#else
    (void)argc;
    (void)argv;
    return Screen::Available;
#endif
}

// Bad input (arguments, scenario file): exit code 2, as brokerlab-cli uses for the same mistakes.
int badInput(const QString& message)
{
    std::fprintf(stderr, "brokerlab: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    switch (screenFor(argc, argv)) {
    case Screen::Available:
        break;
    case Screen::NotNeeded:
        qputenv("QT_QPA_PLATFORM", "offscreen");
        break;
    case Screen::Missing: {
        QCoreApplication core(argc, argv);
        ui::initResources();
        installTranslators(core);
        return badInput(QCoreApplication::translate("main",
            "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Start Brokerlab in a "
            "desktop session; without one, brokerlab-cli runs and serves scenarios, and brokerlab --screenshot "
            "OUT.png saves a picture of the window."));
    }
    }

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Brokerlab"));
    QApplication::setOrganizationDomain(QStringLiteral("brokerlab.io"));
    QApplication::setApplicationName(QStringLiteral("brokerlab"));
    QApplication::setApplicationDisplayName(QStringLiteral("Brokerlab"));
    QApplication::setApplicationVersion(QStringLiteral(BROKERLAB_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.brokerlab.Brokerlab"));
    ui::initResources();
    installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "A desktop lab for Apache Kafka's model."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("scenario"),
        QApplication::translate("main", "Scenario file to open (default: the built-in demo)."),
        QStringLiteral("[FILE]"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
        QApplication::translate("main", "Seed for every random choice (default: the scenario's)."),
        QStringLiteral("N"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QApplication::translate("main", "Run without pacing, save the window as a PNG and exit."),
        QStringLiteral("OUT.png"));
    const QCommandLineOption afterOption(QStringLiteral("after"),
        QApplication::translate("main", "Virtual seconds to run before the screenshot (default 20)."),
        QStringLiteral("SECONDS"), QStringLiteral("20"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
        QApplication::translate("main", "Window size for the screenshot (default 1440x900)."), QStringLiteral("WxH"),
        QStringLiteral("1440x900"));
    const QCommandLineOption explorerOption(QStringLiteral("explorer"),
        QApplication::translate("main", "With --screenshot: capture the Messages tab (the message explorer)."));
    const QCommandLineOption showOption(QStringLiteral("show"),
        QApplication::translate(
            "main", "Bring a tab to the front before the screenshot: timeline, consumers, groups, producers, "
                    "processors or consumption (the charts of consume rate, produce latency and ISR size)."),
        QStringLiteral("TAB"));
    const QCommandLineOption portBaseOption(QStringLiteral("port-base"),
        QApplication::translate("main",
            "Listen for Kafka clients: broker N on port P+N-1 (0: any free ports). Same as Simulation > Listen for "
            "Kafka Clients."),
        QStringLiteral("P"));
    const QCommandLineOption hostOption(QStringLiteral("host"),
        QApplication::translate(
            "main", "With --port-base: the address to listen on and advertise (default 127.0.0.1)."),
        QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption themeOption(QStringLiteral("theme"),
        QApplication::translate("main",
            "Colour theme for this run: system, light or dark (default: the one chosen in View > Theme)."),
        QStringLiteral("THEME"));
    parser.addOptions({ seedOption, screenshotOption, afterOption, sizeOption, showOption, explorerOption,
        portBaseOption, hostOption, themeOption });
    parser.process(app);

    // Before any window exists, so that every widget starts with the theme's palette. A screenshot does not
    // depend on the person's settings: it uses the platform's look unless --theme says otherwise.
    std::optional<ui::Theme> theme = parser.isSet(screenshotOption) ? ui::Theme::System : ui::savedTheme();
    if (parser.isSet(themeOption)) {
        theme = ui::themeFromKey(parser.value(themeOption));
        if (!theme)
            return badInput(QApplication::translate("main", "--theme needs system, light or dark, not '%1'")
                                .arg(parser.value(themeOption)));
    }
    if (*theme != ui::Theme::System)
        ui::applyTheme(*theme);

    const bool screenshot = parser.isSet(screenshotOption);
    std::optional<int> portBase;
    if (parser.isSet(portBaseOption)) {
        bool ok = false;
        portBase = parser.value(portBaseOption).toInt(&ok);
        if (!ok || *portBase < 0 || *portBase > 65000)
            return badInput(QApplication::translate(
                "main", "--port-base must be 0 (any free ports) or a port from 1 to 65000, not '%1'")
                                .arg(parser.value(portBaseOption)));
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        return badInput(QApplication::translate("main", "expected at most one scenario file"));

    std::optional<std::uint64_t> seed;
    if (parser.isSet(seedOption)) {
        bool ok = false;
        seed = parser.value(seedOption).toULongLong(&ok);
        if (!ok)
            return badInput(QApplication::translate("main", "--seed needs a non-negative integer, not '%1'")
                                .arg(parser.value(seedOption)));
    }

    QString source = QString::fromLatin1(ui::ScenarioFiles::kDemoPath);
    QString loadError;
    scenario::Scenario scenario;
    if (!files.isEmpty()) {
        scenario::LoadResult result = ui::ScenarioFiles::load(files.front());
        if (auto* error = std::get_if<scenario::ScenarioError>(&result)) {
            loadError = ui::ScenarioFiles::describe(*error);
            // Headless runs have nobody to read a message box: say it on stderr and fail.
            if (screenshot)
                return badInput(QString::fromStdString(error->toString()));
        } else {
            scenario = std::get<scenario::Scenario>(std::move(result));
            source = files.front();
        }
    }
    if (source == QLatin1String(ui::ScenarioFiles::kDemoPath))
        scenario = ui::ScenarioFiles::demo();
    const std::uint64_t runSeed = seed.value_or(scenario.seed);

    if (screenshot) {
        bool ok = false;
        const double after = parser.value(afterOption).toDouble(&ok);
        if (!ok || after < 0)
            return badInput(QApplication::translate("main", "--after needs a number of seconds, not '%1'")
                                .arg(parser.value(afterOption)));
        const QRegularExpressionMatch size
            = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(parser.value(sizeOption));
        if (!size.hasMatch())
            return badInput(
                QApplication::translate("main", "--size needs WIDTHxHEIGHT, not '%1'").arg(parser.value(sizeOption)));

        auto* window = new ui::MainWindow(false);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->resize(size.captured(1).toInt(), size.captured(2).toInt());
        window->openScenario(std::move(scenario), runSeed, source, true);
        if (parser.value(showOption) == QStringLiteral("consumption")) {
            if (auto* chartTabs = window->findChild<QTabWidget*>(QStringLiteral("chartTabs")))
                chartTabs->setCurrentIndex(1);
        } else if (parser.isSet(showOption)) {
            auto* dock = window->findChild<QDockWidget*>(parser.value(showOption) + QStringLiteral("Dock"));
            if (!dock) {
                delete window; // stops its engine thread before the application goes away
                return badInput(
                    QApplication::translate("main",
                        "--show needs timeline, consumers, groups, producers, processors or consumption, not '%1'")
                        .arg(parser.value(showOption)));
            }
            dock->raise();
        }
        window->show();
        ui::ScreenshotRunner runner(window, after, parser.value(screenshotOption));
        runner.setShowExplorer(parser.isSet(explorerOption));
        int exitCode = 0;
        QObject::connect(&runner, &ui::ScreenshotRunner::finished, &app, [&](int code) {
            exitCode = code;
            if (code != 0)
                std::fprintf(stderr, "brokerlab: %s\n", qPrintable(runner.errorString()));
            window->close();
            QApplication::quit();
        });
        QTimer::singleShot(0, &runner, &ui::ScreenshotRunner::start);
        app.exec();
        return exitCode;
    }

    auto* window = new ui::MainWindow(true);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->openScenario(std::move(scenario), runSeed, source);
    if (portBase) {
        window->listeners()->setAddress(parser.value(hostOption), *portBase, false);
        window->listeners()->setListening(true); // a port in use is shown in the details panel
    }
    window->show();
    // Untitled runs a crashed Brokerlab left: asked about only with a person at the screen.
    const QString platform = QGuiApplication::platformName();
    if (platform != QLatin1String("offscreen") && platform != QLatin1String("minimal"))
        QTimer::singleShot(0, window, [window] {
            if (auto* workspace = window->findChild<ui::WorkspaceController*>())
                ui::WorkspaceMenu::offerLeftoverRuns(workspace, window);
        });
    if (!loadError.isEmpty()) {
        // After the window is up, so the message has a parent and the demo is already visible behind it.
        QTimer::singleShot(0, window, [window, loadError, file = files.front()] {
            QMessageBox box(QMessageBox::Warning, QApplication::translate("main", "Cannot Open Scenario"),
                QApplication::translate("main", "Brokerlab could not open %1. The built-in demo runs instead.")
                    .arg(file),
                QMessageBox::Ok, window);
            box.setInformativeText(loadError);
            box.exec();
        });
    }
    return app.exec();
}
