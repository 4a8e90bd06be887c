#include "groupstatediagram.h"

#include "groupmodels.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <cmath>

namespace brokerlab::ui {

namespace {
constexpr qreal kMargin = 6;
constexpr qreal kGap = 64; // room for an arrow and its label between boxes
constexpr qreal kBoxHeight = 28; // two lines of the small font when a name is broken
constexpr qreal kCaptionHeight = 18;

void arrowHead(QPainter& painter, QPointF tip, qreal angle)
{
    const qreal size = 6;
    QPolygonF head;
    head << tip << tip - QPointF(size * std::cos(angle - 0.45), size * std::sin(angle - 0.45))
         << tip - QPointF(size * std::cos(angle + 0.45), size * std::sin(angle + 0.45));
    painter.drawPolygon(head);
}
} // namespace

GroupStateGeometry GroupStateGeometry::compute(const QSizeF& size)
{
    GroupStateGeometry geometry;
    const qreal width = std::max<qreal>(4 * 60 + 3 * kGap, size.width() - 2 * kMargin);
    const qreal boxWidth = (width - 3 * kGap) / 4;
    const qreal top = kMargin + kCaptionHeight + 30; // the back arc to Empty and its label run above the row
    for (int i = 0; i < 4; ++i)
        geometry.boxes[static_cast<std::size_t>(i)]
            = QRectF(kMargin + i * (boxWidth + kGap), top, boxWidth, kBoxHeight);
    geometry.boxes[4] = QRectF(kMargin, top + kBoxHeight + 18, boxWidth, kBoxHeight); // Dead, under Empty
    return geometry;
}

int GroupStateGeometry::stateAt(const QPointF& point) const
{
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (boxes[i].contains(point))
            return static_cast<int>(i);
    return -1;
}

GroupStateDiagram::GroupStateDiagram(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("groupStateDiagram"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void GroupStateDiagram::setState(int state, const QString& caption)
{
    if (state == state_ && caption == caption_)
        return;
    state_ = state;
    caption_ = caption;
    update();
}

QSize GroupStateDiagram::sizeHint() const { return { 640, minimumSizeHint().height() }; }

QSize GroupStateDiagram::minimumSizeHint() const
{
    const GroupStateGeometry geometry = GroupStateGeometry::compute(QSizeF(400, 100));
    return { 400, static_cast<int>(std::ceil(geometry.boxes[4].bottom() + kMargin)) };
}

void GroupStateDiagram::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const GroupStateGeometry geometry = GroupStateGeometry::compute(size());
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);

    painter.setPen(pal.color(QPalette::WindowText));
    painter.drawText(
        QRectF(kMargin, kMargin, width() - 2 * kMargin, kCaptionHeight), Qt::AlignLeft | Qt::AlignVCenter, caption_);

    const QColor line = pal.color(QPalette::Mid);
    const QColor muted = pal.color(QPalette::PlaceholderText);
    painter.setFont(small);
    auto label = [&](QPointF center, const QString& text, qreal width) {
        const QRectF room(center.x() - width / 2, center.y() - 9, width, 18);
        painter.setPen(muted);
        painter.drawText(room, Qt::AlignCenter, text);
    };
    painter.setPen(QPen(line, 1.2));
    painter.setBrush(line);
    // Forward: Empty -> PreparingRebalance -> CompletingRebalance -> Stable.
    const QString forward[] = { tr("join"), tr("all joined"), tr("synced") };
    for (int i = 0; i < 3; ++i) {
        const QRectF& from = geometry.boxes[static_cast<std::size_t>(i)];
        const QRectF& to = geometry.boxes[static_cast<std::size_t>(i + 1)];
        const QPointF a(from.right() + 2, from.center().y()), b(to.left() - 2, to.center().y());
        painter.setPen(QPen(line, 1.2));
        painter.drawLine(a, b);
        arrowHead(painter, b, 0);
        label(QPointF((a.x() + b.x()) / 2, from.center().y() - 10), forward[i], kGap + 10);
    }
    // Back: Stable -> PreparingRebalance below the row (a member joins, leaves or fails).
    {
        const QRectF& stable = geometry.boxes[3];
        const QRectF& preparing = geometry.boxes[1];
        const qreal y = stable.bottom() + 14;
        QPainterPath path(QPointF(stable.center().x(), stable.bottom() + 2));
        path.lineTo(stable.center().x(), y);
        path.lineTo(preparing.center().x(), y);
        path.lineTo(preparing.center().x(), preparing.bottom() + 2);
        painter.setPen(QPen(line, 1.2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        painter.setBrush(line);
        arrowHead(painter, QPointF(preparing.center().x(), preparing.bottom() + 2), -M_PI / 2);
        label(QPointF((stable.center().x() + preparing.center().x()) / 2, y + 8),
            tr("a member joins, leaves or misses heartbeats"), stable.center().x() - preparing.center().x());
    }
    // Back: PreparingRebalance -> Empty above the row (the last member left).
    {
        const QRectF& preparing = geometry.boxes[1];
        const QRectF& empty = geometry.boxes[0];
        const qreal y = empty.top() - 14;
        QPainterPath path(QPointF(preparing.center().x() - 20, preparing.top() - 2));
        path.lineTo(preparing.center().x() - 20, y);
        path.lineTo(empty.center().x(), y);
        path.lineTo(empty.center().x(), empty.top() - 2);
        painter.setPen(QPen(line, 1.2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(path);
        painter.setBrush(line);
        arrowHead(painter, QPointF(empty.center().x(), empty.top() - 2), M_PI / 2);
        label(QPointF((empty.center().x() + preparing.center().x()) / 2, y - 8), tr("the last member left"),
            preparing.center().x() - empty.center().x());
    }
    // Empty -> Dead.
    {
        const QRectF& empty = geometry.boxes[0];
        const QRectF& dead = geometry.boxes[4];
        painter.setPen(QPen(line, 1.2));
        painter.drawLine(QPointF(empty.center().x(), empty.bottom() + 2), QPointF(empty.center().x(), dead.top() - 2));
        arrowHead(painter, QPointF(empty.center().x(), dead.top() - 2), M_PI / 2);
        label(QPointF(empty.center().x() + 60, (empty.bottom() + dead.top()) / 2), tr("offsets expire"), 110);
    }

    for (int i = 0; i < kGroupStateCount; ++i) {
        const QRectF& box = geometry.boxes[static_cast<std::size_t>(i)];
        const bool current = i == state_;
        painter.setPen(QPen(current ? pal.color(QPalette::Highlight) : line, current ? 2.0 : 1.0));
        painter.setBrush(current ? pal.color(QPalette::Highlight) : pal.color(QPalette::Base));
        painter.drawRoundedRect(box, 5, 5);
        painter.setPen(current ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
        // A narrow box takes the smaller font, then breaks the name before its last capital ("Completing /
        // Rebalance") rather than eliding it: the state names are Kafka's and worth reading whole.
        const QString name = groupStateName(i);
        const int room = static_cast<int>(box.width() - 6);
        QString shown = name;
        painter.setFont(font()); // measured with the painter's metrics: the device's resolution may differ
        // horizontalAdvance rounds; elidedText measures exactly: two pixels keep them from disagreeing.
        if (painter.fontMetrics().horizontalAdvance(name) + 2 > room) {
            painter.setFont(small);
            qsizetype split = name.size() - 1;
            while (split > 0 && !name.at(split).isUpper())
                --split;
            if (painter.fontMetrics().horizontalAdvance(name) + 2 > room && split > 0)
                shown = name.left(split) + QLatin1Char('\n') + name.mid(split);
        }
        QStringList lines;
        for (const QString& part : shown.split(QLatin1Char('\n')))
            lines << painter.fontMetrics().elidedText(part, Qt::ElideMiddle, room);
        painter.drawText(box.adjusted(3, 0, -3, 0), Qt::AlignCenter, lines.join(QLatin1Char('\n')));
    }
}

bool GroupStateDiagram::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int state = GroupStateGeometry::compute(size()).stateAt(help->pos());
        if (state >= 0)
            QToolTip::showText(help->globalPos(), groupStateExplanation(state), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace brokerlab::ui
