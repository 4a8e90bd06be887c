#include "legendwidget.h"

#include "clusterpainter.h"
#include "statuscolors.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace brokerlab::ui {

namespace {
constexpr double kMargin = 6;
constexpr double kSpacing = 12;
} // namespace

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Legend"));
    entries_ = {
        { Swatch::Replica, ReplicaState::Leader, tr("Leader"),
            tr("The leader replica: producers write to it, followers copy from it and consumers read from it.") },
        { Swatch::Replica, ReplicaState::InSyncFollower, tr("In-sync follower"),
            tr("A follower in the ISR, the in-sync replica set: it has caught up with the leader, and a write with "
               "acks=all waits for it.") },
        { Swatch::Replica, ReplicaState::OutOfSync, tr("Out-of-sync follower"),
            tr("A follower that fell behind the leader for longer than replica.lag.time.max.ms and left the ISR. "
               "Writes no longer wait for it until it catches up.") },
        { Swatch::Replica, ReplicaState::Offline, tr("Offline replica"),
            tr("A replica whose broker is down: it can neither serve nor replicate.") },
        { Swatch::LogBar, ReplicaState::Leader, tr("Log up to HW and LEO"),
            tr("Each bar is a replica's log, from its log start offset to its LEO (log end offset, the offset the next "
               "record gets). The tick is the HW (high watermark): records below it are on every in-sync replica, "
               "and consumers may read them. The lighter part after it is written but not yet committed.") },
        { Swatch::WarningRow, ReplicaState::OutOfSync, tr("Under-replicated"),
            tr("Fewer replicas are in sync than were assigned: one more failure may make the partition unavailable or "
               "block acks=all writes (min.insync.replicas).") },
        { Swatch::ErrorRow, ReplicaState::Offline, tr("Offline partition"),
            tr("No replica can lead the partition: nobody can write to it or read from it until one returns.") },
        { Swatch::FencedBroker, ReplicaState::OutOfSync, tr("Fenced broker"),
            tr("A broker the controller stopped trusting because its heartbeats stopped arriving "
               "(broker.session.timeout.ms). It leads nothing until it has caught up again.") },
    };
}

std::vector<QRectF> LegendWidget::flow(int width, int* height) const
{
    const QFontMetricsF fm(font());
    const double line = fm.height() + 4;
    const double swatch = fm.height() * 1.4;
    double x = kMargin;
    double y = kMargin / 2;
    std::vector<QRectF> rects;
    for (const Entry& entry : entries_) {
        const double w = swatch + 6 + fm.horizontalAdvance(entry.text);
        if (x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += line;
        }
        rects.emplace_back(x, y, w, line);
        x += w + kSpacing;
    }
    if (height)
        *height = static_cast<int>(std::ceil(y + line + kMargin / 2));
    return rects;
}

int LegendWidget::heightForWidth(int width) const
{
    int height = 0;
    flow(width, &height);
    return height;
}

QSize LegendWidget::sizeHint() const { return { 900, heightForWidth(900) }; }
QSize LegendWidget::minimumSizeHint() const { return { 200, heightForWidth(width() > 0 ? width() : 900) }; }

void LegendWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const StatusColors colors = StatusColors::from(palette());
    painter.fillRect(rect(), colors.band);
    painter.setPen(QPen(colors.line, 1));
    painter.drawLine(QPointF(0, 0.5), QPointF(width(), 0.5));
    const QFontMetricsF fm(font());
    const double swatch = fm.height() * 1.4;
    const std::vector<QRectF> rects = flow(width(), nullptr);
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        const QRectF r = rects[i];
        const QRectF box(r.left(), r.top() + 2, swatch, r.height() - 4);
        switch (entry.swatch) {
        case Swatch::Replica: {
            const double side = fm.height() * 0.9;
            ClusterPainter::paintReplicaGlyph(painter,
                QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side), entry.state, colors);
            break;
        }
        case Swatch::LogBar: {
            // A sample log: starts at 20, HW at 80, LEO at 100 on a 0..100 scale.
            driver::ReplicaSnapshot sample;
            sample.logStartOffset = 20;
            sample.highWatermark = 80;
            sample.logEndOffset = 100;
            const QRectF track(box.left(), box.center().y() - 3, box.width(), 6);
            ClusterPainter::paintLogBar(painter, track, sample, OffsetScale { 0, 100 }, entry.state, colors);
            break;
        }
        case Swatch::WarningRow:
        case Swatch::ErrorRow:
            painter.setPen(QPen(colors.forState(entry.state), 1));
            painter.setBrush(entry.swatch == Swatch::WarningRow ? colors.warningTint : colors.errorTint);
            painter.drawRect(box.adjusted(0.5, 1.5, -0.5, -1.5));
            painter.setBrush(Qt::NoBrush);
            break;
        case Swatch::FencedBroker: {
            const double side = fm.height() * 0.8;
            ClusterPainter::paintBrokerGlyph(painter,
                QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side),
                cluster::BrokerState::Fenced, colors);
            break;
        }
        }
        painter.setPen(colors.text);
        painter.drawText(QRectF(box.right() + 6, r.top(), r.width() - swatch - 6, r.height()),
            Qt::AlignLeft | Qt::AlignVCenter, entry.text);
    }
}

bool LegendWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const std::vector<QRectF> rects = flow(width(), nullptr);
        for (std::size_t i = 0; i < rects.size(); ++i) {
            if (rects[i].contains(help->pos())) {
                QToolTip::showText(help->globalPos(), entries_[i].toolTip, this, rects[i].toRect());
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::FontChange)
        updateGeometry();
    return QWidget::event(event);
}

} // namespace brokerlab::ui
