#pragma once
// Helpers for tests that run the real brokerlab-cli executable (BROKERLAB_CLI, set by CMake).

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QtGlobal>

namespace brokerlab::testing {

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs brokerlab-cli with `args` (in `directory` when given) and waits for it.
inline CliResult runCli(const QStringList& args, const QString& directory = {})
{
    QProcess process;
    if (!directory.isEmpty())
        process.setWorkingDirectory(directory);
    process.start(QStringLiteral(BROKERLAB_CLI), args);
    if (!process.waitForFinished(300000))
        qFatal("brokerlab-cli did not finish");
    return { process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
        QString::fromUtf8(process.readAllStandardError()) };
}

// Writes `content` to `name` inside `dir` and returns the path.
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write test file");
    file.write(content);
    return path;
}

} // namespace brokerlab::testing
