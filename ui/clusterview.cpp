#include "clusterview.h"

#include "clusterpainter.h"
#include "formatting.h"
#include "replicastate.h"

#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace brokerlab::ui {

namespace {
constexpr double kZoomStep = 1.2;
}

ClusterView::ClusterView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , snapshot_(std::make_shared<const driver::Snapshot>())
    , rates_(std::make_shared<const Rates>())
{
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setCursor(Qt::ArrowCursor);
    setAccessibleName(tr("Cluster view"));
    setWhatsThis(tr("Brokers are columns, partitions are rows. Each replica sits where its partition meets the broker "
                    "that stores it. Ctrl+wheel or +/- zooms, dragging pans, a click shows details."));
    relayout();
}

QSize ClusterView::sizeHint() const { return { 900, 560 }; }

void ClusterView::setSnapshot(const SnapshotPtr& snapshot, std::shared_ptr<const Rates> rates)
{
    snapshot_ = snapshot ? snapshot : std::make_shared<const driver::Snapshot>();
    rates_ = rates ? std::move(rates) : std::make_shared<const Rates>();
    relayout();
}

void ClusterView::relayout()
{
    ClusterLayoutOptions options = options_;
    options.viewportWidth = viewport()->width();
    layout_ = ClusterLayout::compute(*snapshot_, options);
    updateScrollBars();
    viewport()->update();
}

void ClusterView::updateScrollBars()
{
    const QSize size = viewport()->size();
    const auto& m = layout_.metrics;
    horizontalScrollBar()->setRange(0, std::max(0, static_cast<int>(std::ceil(layout_.contentWidth)) - size.width()));
    horizontalScrollBar()->setPageStep(std::max(1, size.width() - static_cast<int>(m.labelWidth)));
    horizontalScrollBar()->setSingleStep(static_cast<int>(m.minColumnWidth / 4));
    verticalScrollBar()->setRange(0, std::max(0, static_cast<int>(std::ceil(layout_.contentHeight)) - size.height()));
    verticalScrollBar()->setPageStep(std::max(1, size.height() - static_cast<int>(m.headerHeight)));
    verticalScrollBar()->setSingleStep(static_cast<int>(m.partitionRowHeight));
}

QPointF ClusterView::scrollPosition() const
{
    return { double(horizontalScrollBar()->value()), double(verticalScrollBar()->value()) };
}

void ClusterView::setSelection(const ClusterItem& item)
{
    if (selection_ == item)
        return;
    selection_ = item;
    viewport()->update();
    emit selectionChanged(selection_);
}

void ClusterView::setHighlight(const ClusterItem& item)
{
    highlight_ = item;
    ensureVisible(item);
    viewport()->update();
}

void ClusterView::ensureVisible(const ClusterItem& item)
{
    const QRectF rect = layout_.itemRect(*snapshot_, item);
    if (rect.isEmpty())
        return;
    const auto& m = layout_.metrics;
    const QSizeF body(viewport()->width() - m.labelWidth, viewport()->height() - m.headerHeight);
    const QPointF scroll = scrollPosition();
    // Rows and columns scroll under the pinned labels and header: visible content starts after them.
    if (item.kind != ClusterItem::Kind::Broker) {
        const double top = rect.top() - m.headerHeight;
        if (rect.top() < scroll.y() + m.headerHeight || rect.bottom() > scroll.y() + viewport()->height())
            verticalScrollBar()->setValue(static_cast<int>(top - std::max(0.0, (body.height() - rect.height()) / 3)));
    }
    if (item.kind == ClusterItem::Kind::Broker || item.kind == ClusterItem::Kind::Replica) {
        if (rect.left() < scroll.x() + m.labelWidth || rect.right() > scroll.x() + viewport()->width())
            horizontalScrollBar()->setValue(static_cast<int>(rect.left() - m.labelWidth));
    }
}

void ClusterView::setZoom(double zoom, QPointF anchor)
{
    const double clamped = std::clamp(zoom, ClusterMetrics::kMinZoom, ClusterMetrics::kMaxZoom);
    if (std::abs(clamped - options_.zoom) < 1e-9)
        return;
    if (anchor.x() < 0)
        anchor = QPointF(viewport()->width() / 2.0, viewport()->height() / 2.0);
    // Keep the content under the anchor where it is: every length scales with the zoom, so a content position
    // scales by the same ratio.
    const double ratio = clamped / options_.zoom;
    const QPointF contentUnderAnchor = scrollPosition() + anchor;
    options_.zoom = clamped;
    relayout();
    const QPointF scroll = contentUnderAnchor * ratio - anchor;
    horizontalScrollBar()->setValue(static_cast<int>(std::lround(scroll.x())));
    verticalScrollBar()->setValue(static_cast<int>(std::lround(scroll.y())));
    emit zoomChanged(options_.zoom);
}

void ClusterView::zoomIn() { setZoom(options_.zoom * kZoomStep); }
void ClusterView::zoomOut() { setZoom(options_.zoom / kZoomStep); }
void ClusterView::resetZoom() { setZoom(1.0); }

void ClusterView::setDense(bool dense)
{
    if (options_.dense == dense)
        return;
    options_.dense = dense;
    options_.toggledTopics.clear(); // a global switch overrides what was flipped by hand
    relayout();
}

void ClusterView::toggleTopic(const std::string& topic)
{
    if (!options_.toggledTopics.erase(topic))
        options_.toggledTopics.insert(topic);
    relayout();
}

void ClusterView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    ClusterPaintContext context;
    context.snapshot = snapshot_.get();
    context.layout = &layout_;
    context.rates = rates_.get();
    context.selection = selection_;
    context.highlight = highlight_;
    context.scroll = scrollPosition();
    context.viewport = viewport()->size();
    context.colors = StatusColors::from(palette());
    context.font = font();
    ClusterPainter(context).paint(painter);
}

void ClusterView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    relayout();
}

void ClusterView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    pressed_ = true;
    dragging_ = false;
    pressPosition_ = lastDragPosition_ = event->position().toPoint();
}

void ClusterView::mouseMoveEvent(QMouseEvent* event)
{
    if (!pressed_)
        return QAbstractScrollArea::mouseMoveEvent(event);
    const QPoint position = event->position().toPoint();
    if (!dragging_ && (position - pressPosition_).manhattanLength() >= QApplication::startDragDistance()) {
        dragging_ = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (dragging_) {
        const QPoint delta = position - lastDragPosition_;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        lastDragPosition_ = position;
    }
}

void ClusterView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !pressed_)
        return QAbstractScrollArea::mouseReleaseEvent(event);
    pressed_ = false;
    if (dragging_) {
        dragging_ = false;
        viewport()->setCursor(Qt::ArrowCursor);
        return;
    }
    const HitResult hit = layout_.hitTest(*snapshot_, event->position(), scrollPosition());
    if (hit.onToggle)
        toggleTopic(hit.item.topic);
    setSelection(hit.item);
}

void ClusterView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        if (steps != 0)
            setZoom(options_.zoom * std::pow(kZoomStep, steps), event->position());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void ClusterView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        resetZoom();
        return;
    case Qt::Key_Escape:
        setSelection({});
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

bool ClusterView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const HitResult hit = layout_.hitTest(*snapshot_, help->pos(), scrollPosition());
        const QString text = hit.onToggle ? tr("Switch between one row per partition and one summary row for the topic")
                                          : toolTipFor(hit.item);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ClusterView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        viewport()->update();
    QAbstractScrollArea::changeEvent(event);
}

QString ClusterView::toolTipFor(const ClusterItem& item) const
{
    const driver::Snapshot& snapshot = *snapshot_;
    switch (item.kind) {
    case ClusterItem::Kind::None:
    case ClusterItem::Kind::Processor: // not drawn here: the Processors and Queues dock shows them
    case ClusterItem::Kind::Queue:
        return {};
    case ClusterItem::Kind::Broker:
        return tr("Broker %1: a server that stores replicas of partitions and answers producers and consumers. "
                  "Click for details.")
            .arg(item.broker);
    case ClusterItem::Kind::Topic:
        return tr("Topic %1: a named stream of records, split into partitions. Click for details.")
            .arg(QString::fromStdString(item.topic));
    case ClusterItem::Kind::Partition:
        return tr("Partition %1-%2: an ordered log. The leader epoch counts how often its leadership changed; the "
                  "ISR (in-sync replicas) are the copies that are caught up with the leader.")
            .arg(QString::fromStdString(item.topic))
            .arg(item.partition);
    case ClusterItem::Kind::Replica:
        break;
    }
    for (const auto& topic : snapshot.topics) {
        if (topic.name != item.topic)
            continue;
        for (const auto& partition : topic.partitions) {
            if (partition.partition != item.partition)
                continue;
            const driver::ReplicaSnapshot* replica = replicaOn(partition, item.broker);
            if (!replica)
                return {};
            QString role;
            switch (replicaState(*replica)) {
            case ReplicaState::Leader:
                role = tr("Leader: producers write here and followers copy from here.");
                break;
            case ReplicaState::InSyncFollower:
                role = tr("In-sync follower: caught up with the leader, so it counts towards acks=all.");
                break;
            case ReplicaState::OutOfSync:
                role = tr("Out-of-sync follower: fell behind the leader for longer than replica.lag.time.max.ms.");
                break;
            case ReplicaState::Offline:
                role = tr("Offline: its broker is down, so this copy cannot serve or replicate.");
                break;
            case ReplicaState::Absent:
                break;
            }
            return tr("%1-%2 on broker %3\n%4\nLEO (log end offset) %5: the offset the next record will get.\n"
                      "HW (high watermark) %6: consumers may read the records below it.")
                .arg(QString::fromStdString(item.topic))
                .arg(item.partition)
                .arg(item.broker)
                .arg(role, formatCount(replica->logEndOffset), formatCount(replica->highWatermark));
        }
    }
    return {};
}

} // namespace brokerlab::ui
