#include "onscreen.h"

#include <QDockWidget>
#include <QEvent>
#include <QTimer>
#include <QWidget>

namespace brokerlab::ui {

OnScreenWatch::OnScreenWatch(QWidget* widget, std::function<void()> cameBack)
    : QObject(widget)
    , widget_(widget)
    , cameBack_(std::move(cameBack))
{
    widget_->installEventFilter(this);
}

bool OnScreenWatch::offScreen() const
{
    if (!widget_->window()->isVisible())
        return false;
    return !widget_->isVisible() || widget_->visibleRegion().isEmpty();
}

void OnScreenWatch::watchDock()
{
    if (dock_)
        return;
    for (QWidget* parent = widget_->parentWidget(); parent; parent = parent->parentWidget())
        if (auto* dock = qobject_cast<QDockWidget*>(parent)) {
            dock_ = dock;
            // Brought to the front of its tab group: Qt moves the dock back into the window (and says so).
            connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
                if (visible)
                    QTimer::singleShot(0, this, [this] {
                        if (!offScreen())
                            cameBack_();
                    });
            });
            return;
        }
}

bool OnScreenWatch::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == widget_ && event->type() == QEvent::Show) {
        watchDock();
        // After the layout has placed it: a dock shown behind another tab has nothing to paint yet.
        QTimer::singleShot(0, this, [this] {
            if (!offScreen())
                cameBack_();
        });
    }
    return QObject::eventFilter(watched, event);
}

} // namespace brokerlab::ui
