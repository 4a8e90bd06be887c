#pragma once
// Whether a panel can be seen right now, for panels that skip per-frame work nobody would see. A QTabWidget page
// behind another is hidden, but a QDockWidget tabbed behind another stays "visible": Qt moves it out of the
// window instead. So a panel counts as off screen when its window is shown and either it is hidden or nothing of it
// is left to paint; it is told when it comes back (shown, or its dock's tab brought to the front) to catch up.
// A window that was never shown (tests driving models headless) counts as on screen: nothing is skipped there.

#include <QObject>
#include <QPointer>

#include <functional>

class QDockWidget;
class QWidget;

namespace brokerlab::ui {

class OnScreenWatch : public QObject {
public:
    OnScreenWatch(QWidget* widget, std::function<void()> cameBack);

    bool offScreen() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void watchDock();

    QWidget* widget_;
    QPointer<QDockWidget> dock_;
    std::function<void()> cameBack_;
};

} // namespace brokerlab::ui
