// The workspace lock (store/workspacelock.h): one writer per file, the holder named to the second
// one, and a lock left by a process that died taken over.

#include "store/workspacelock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using brokerlab::store::WorkspaceLock;

namespace {

// A lock file as QLockFile writes it, but naming a process that has exited.
void writeStaleLock(const QString& workspace)
{
    const QString lockPath = WorkspaceLock::lockPathOf(workspace);
    QByteArray contents;
    {
        QLockFile real(lockPath);
        QVERIFY(real.tryLock(0));
        QFile file(lockPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        contents = file.readAll();
    } // unlocked: the file is gone
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    QVERIFY(gone.waitForStarted());
    const qint64 deadPid = gone.processId();
    QVERIFY(gone.waitForFinished());
    const qsizetype endOfPid = contents.indexOf('\n');
    QVERIFY(endOfPid > 0);
    contents.replace(0, endOfPid, QByteArray::number(deadPid));
    QFile file(lockPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(contents);
}

} // namespace

class TestWorkspaceLock : public QObject {
    Q_OBJECT
private slots:
    void aSecondWriterIsRefusedAndToldTheHolder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.blw"));
        WorkspaceLock first(path);
        QVERIFY(first.tryLock());
        QVERIFY(QFile::exists(path + QStringLiteral(".lock")));
        WorkspaceLock second(path);
        QVERIFY(!second.tryLock());
        QVERIFY(second.heldByOther());
        QVERIFY(!second.isLocked());
        const auto holder = second.holderInfo();
        QVERIFY(holder.has_value());
        QCOMPARE(holder->pid, QCoreApplication::applicationPid());
        QVERIFY2(second.holder().contains(QStringLiteral("process %1").arg(QCoreApplication::applicationPid())),
            qPrintable(second.holder()));
        QVERIFY(WorkspaceLock::isLockedByOther(path));
        first.unlock();
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
        QVERIFY(!WorkspaceLock::isLockedByOther(path));
        QVERIFY(second.tryLock());
    }

    void aLockOfAProcessThatDiedIsTakenOver()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crashed.blw"));
        writeStaleLock(path);
        QVERIFY(QFile::exists(path + QStringLiteral(".lock")));
        QVERIFY(!WorkspaceLock::isLockedByOther(path));
        WorkspaceLock lock(path);
        QVERIFY(lock.tryLock());
        QCOMPARE(lock.holderInfo()->pid, QCoreApplication::applicationPid());
    }

    void anOldLockOfALiveProcessStaysHeld()
    {
        // Staleness is the process, never the age: a long run keeps its file.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("long.blw"));
        WorkspaceLock first(path);
        QVERIFY(first.tryLock());
        QFile lockFile(WorkspaceLock::lockPathOf(path));
        QVERIFY(lockFile.open(QIODevice::ReadWrite));
        QVERIFY(lockFile.setFileTime(QDateTime::currentDateTimeUtc().addDays(-2), QFileDevice::FileModificationTime));
        lockFile.close();
        WorkspaceLock second(path);
        QVERIFY(!second.tryLock());
        QVERIFY(second.heldByOther());
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceLock)
#include "test_workspacelock.moc"
