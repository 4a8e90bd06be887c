#include "scenariofiles.h"

#include <QFile>

static void initBrokerlabResources() { Q_INIT_RESOURCE(brokerlab); }

namespace brokerlab::ui {

void initResources() { initBrokerlabResources(); }

scenario::LoadResult ScenarioFiles::load(const QString& path)
{
    if (!path.startsWith(QLatin1Char(':')))
        return scenario::loadScenarioFile(QFile::encodeName(path).toStdString());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return scenario::ScenarioError { path.toStdString(), 0, 0, {},
            tr("cannot read the built-in scenario").toStdString() };
    }
    const QByteArray text = file.readAll();
    return scenario::parseScenario(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())), path.toStdString());
}

scenario::Scenario ScenarioFiles::demo()
{
    scenario::LoadResult result = load(QString::fromLatin1(kDemoPath));
    if (auto* error = std::get_if<scenario::ScenarioError>(&result))
        qFatal("the built-in demo scenario does not load: %s", error->toString().c_str());
    return std::get<scenario::Scenario>(std::move(result));
}

QList<ScenarioFiles::Builtin> ScenarioFiles::builtins()
{
    return {
        { tr("Demo: orders, page views and sensors"), QStringLiteral(":/scenarios/demo.json") },
        { tr("Failover"), QStringLiteral(":/scenarios/failover.json") },
        { tr("Rebalance"), QStringLiteral(":/scenarios/rebalance.json") },
        { tr("Compaction"), QStringLiteral(":/scenarios/compaction.json") },
        { tr("Pipeline and queues"), QStringLiteral(":/scenarios/pipeline.json") },
        { tr("Benchmark"), QStringLiteral(":/scenarios/benchmark.json") },
    };
}

QString ScenarioFiles::describe(const scenario::ScenarioError& error)
{
    QString where = QString::fromStdString(error.file);
    if (error.line > 0)
        where = tr("%1, line %2").arg(where).arg(error.line);
    QString text = where;
    if (!error.field.empty())
        text += QLatin1Char('\n') + tr("Field: %1").arg(QString::fromStdString(error.field));
    text += QLatin1Char('\n') + QString::fromStdString(error.message);
    return text;
}

} // namespace brokerlab::ui
