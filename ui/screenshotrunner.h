#pragma once
// `brokerlab FILE --screenshot OUT.png --after SECONDS`: runs the scenario as fast as possible up to a virtual
// time, lets the views catch up, grabs the window and reports an exit code. It steps the paused engine in short
// slices rather than one long step, so the charts get a history to draw instead of two points; and it only
// reacts to snapshots the session pulls on its timer, so the GUI thread never blocks on the engine.

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>

namespace brokerlab::ui {

class MainWindow;

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow* window, double afterSeconds, QString outputPath, QObject* parent = nullptr);

    // The window must already run a paused session.
    void start();
    // Capture the Messages tab (the explorer on the newest records) instead of the cluster.
    void setShowExplorer(bool on) { showExplorer_ = on; }
    QString errorString() const { return error_; }

signals:
    void finished(int exitCode);

private:
    void advance();
    void capture();
    void prepareExplorer();
    void fail(const QString& message);

    MainWindow* window_;
    std::int64_t targetUs_;
    QString output_;
    std::int64_t requestedUs_ = -1; // the virtual time the last step asked for
    QTimer watchdog_;
    QString error_;
    bool done_ = false;
    bool showExplorer_ = false;
};

} // namespace brokerlab::ui
