#pragma once
// Opening scenarios for the GUI: files on disk and the built-in ones embedded as Qt resources (":/scenarios/...").

#include "scenario/scenario.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <variant>

namespace brokerlab::ui {

class ScenarioFiles {
    Q_DECLARE_TR_FUNCTIONS(brokerlab::ui::ScenarioFiles)

public:
    static constexpr const char* kDemoPath = ":/scenarios/demo.json";

    struct Builtin {
        QString title;
        QString path;
    };

    // A path on disk or a resource path.
    static scenario::LoadResult load(const QString& path);
    // The embedded demo. It is part of the build, so a failure to load it is a defect, not a user error.
    static scenario::Scenario demo();
    static QList<Builtin> builtins();
    // What went wrong, for a message box: the file, the line and the field, then the message.
    static QString describe(const scenario::ScenarioError& error);
};

// Registers the resources of the brokerlab_ui static library (the linker would otherwise drop them).
void initResources();

} // namespace brokerlab::ui
