#include "clusterpainter.h"

#include "formatting.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace brokerlab::ui {

namespace {

QRectF square(const QRectF& box)
{
    const double side = std::min(box.width(), box.height());
    return { box.center().x() - side / 2, box.center().y() - side / 2, side, side };
}

QString roleText(ReplicaState state)
{
    switch (state) {
    case ReplicaState::Leader:
        return ClusterPainter::tr("leader");
    case ReplicaState::InSyncFollower:
        return ClusterPainter::tr("follower");
    case ReplicaState::OutOfSync:
        return ClusterPainter::tr("out of sync");
    case ReplicaState::Offline:
        return ClusterPainter::tr("offline");
    case ReplicaState::Absent:
        break;
    }
    return {};
}

QString brokerStateText(cluster::BrokerState state)
{
    switch (state) {
    case cluster::BrokerState::Online:
        return ClusterPainter::tr("online");
    case cluster::BrokerState::Fenced:
        return ClusterPainter::tr("fenced");
    case cluster::BrokerState::Offline:
        return ClusterPainter::tr("offline");
    }
    return {};
}

QColor withAlpha(QColor color, int alpha)
{
    color.setAlpha(alpha);
    return color;
}

} // namespace

ClusterPainter::ClusterPainter(const ClusterPaintContext& context) : c_(context), m_(context.layout->metrics) { }

QFont ClusterPainter::scaledFont(double factor, bool bold) const
{
    QFont font = c_.font;
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * m_.fontScale() * factor);
    else
        font.setPixelSize(std::max(6, static_cast<int>(std::lround(font.pixelSize() * m_.fontScale() * factor))));
    font.setBold(bold);
    return font;
}

QPointF ClusterPainter::toViewport(QPointF content) const { return content - c_.scroll; }

QRectF ClusterPainter::bodyCell(std::size_t row, std::size_t column) const
{
    return c_.layout->cellRect(row, column).translated(-c_.scroll);
}

void ClusterPainter::paint(QPainter& painter) const
{
    painter.fillRect(QRectF(QPointF(0, 0), c_.viewport), c_.colors.base);
    painter.setRenderHint(QPainter::Antialiasing, true);
    paintBody(painter);
    paintLabels(painter);
    paintHeader(painter);
}

void ClusterPainter::paintBody(QPainter& painter) const
{
    const ClusterLayout& layout = *c_.layout;
    const driver::Snapshot& snapshot = *c_.snapshot;
    painter.save();
    painter.setClipRect(QRectF(
        m_.labelWidth, m_.headerHeight, c_.viewport.width() - m_.labelWidth, c_.viewport.height() - m_.headerHeight));

    if (snapshot.topics.empty()) {
        painter.setFont(scaledFont(1.1));
        painter.setPen(c_.colors.mutedText);
        const QRectF area(
            m_.labelWidth, m_.headerHeight, c_.viewport.width() - m_.labelWidth, 4 * m_.partitionRowHeight);
        painter.drawText(area.adjusted(m_.padding * 2, 0, -m_.padding * 2, 0), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No topics yet. Use Edit \u2192 Create topic\u2026 to add one."));
    }

    const auto [first, last]
        = layout.rowsBetween(c_.scroll.y() + m_.headerHeight, c_.scroll.y() + c_.viewport.height());
    for (std::size_t i = first; i < last; ++i) {
        const LayoutRow& row = layout.rows[i];
        const QRectF band(m_.labelWidth, row.y - c_.scroll.y(), c_.viewport.width() - m_.labelWidth, row.height);
        const auto& topic = snapshot.topics[static_cast<std::size_t>(row.topic)];
        if (row.kind == LayoutRow::Kind::Topic) {
            paintTopicBand(painter, i);
            continue;
        }
        QColor background = c_.colors.base;
        if (row.kind == LayoutRow::Kind::Partition) {
            const auto& partition = topic.partitions[static_cast<std::size_t>(row.partition)];
            if (partition.offline())
                background = c_.colors.errorTint;
            else if (partition.underReplicated())
                background = c_.colors.warningTint;
            else if (row.partition % 2 == 1)
                background = c_.colors.alternateBase;
        }
        painter.fillRect(band, background);
    }

    // A fenced or offline broker tints its whole column, so every replica it holds reads as affected.
    for (std::size_t col = 0; col < layout.columns.size(); ++col) {
        const auto& broker = snapshot.brokers[col];
        const QRectF column(layout.columns[col].x - c_.scroll.x(), m_.headerHeight, layout.columns[col].width,
            c_.viewport.height() - m_.headerHeight);
        if (broker.state != cluster::BrokerState::Online)
            painter.fillRect(column,
                withAlpha(broker.state == cluster::BrokerState::Fenced ? c_.colors.outOfSync : c_.colors.offline, 40));
        painter.setPen(QPen(c_.colors.line, 1));
        painter.drawLine(QPointF(column.left(), column.top()), QPointF(column.left(), column.bottom()));
    }

    for (std::size_t i = first; i < last; ++i) {
        const LayoutRow& row = layout.rows[i];
        if (row.kind == LayoutRow::Kind::Partition)
            paintPartitionCells(painter, i);
        else if (row.kind == LayoutRow::Kind::Summary)
            paintSummaryCells(painter, i);
    }
    paintOverlay(painter, c_.highlight, false);
    paintOverlay(painter, c_.selection, true);
    painter.restore();
}

void ClusterPainter::paintTopicBand(QPainter& painter, std::size_t rowIndex) const
{
    const LayoutRow& row = c_.layout->rows[rowIndex];
    const auto& topic = c_.snapshot->topics[static_cast<std::size_t>(row.topic)];
    const QRectF band(m_.labelWidth, row.y - c_.scroll.y(), c_.viewport.width() - m_.labelWidth, row.height);
    painter.fillRect(band, c_.colors.band);
    painter.setPen(QPen(c_.colors.line, 1));
    painter.drawLine(band.topLeft(), band.topRight());

    // The topic's facts read across the band, pinned to the left edge of the body so they stay visible while
    // the columns scroll sideways.
    const TopicHealth health = topicHealth(topic);
    QString facts = tr("%n partition(s)", nullptr, static_cast<int>(topic.partitions.size()))
        + QStringLiteral("  \u00b7  ") + tr("replication factor %1").arg(topic.replicationFactor)
        + QStringLiteral("  \u00b7  ") + tr("min.insync.replicas %1").arg(topic.config.minInsyncReplicas);
    if (topic.internal)
        facts += QStringLiteral("  \u00b7  ") + tr("internal");
    QRectF text = band.adjusted(m_.padding * 2, 0, -m_.padding * 2, 0);
    painter.setFont(scaledFont(0.95));
    QFontMetricsF fm(painter.font());
    QString problems;
    QColor problemColor = c_.colors.outOfSync;
    if (health.offline > 0) {
        problems = tr("\u2715 %n offline", nullptr, health.offline);
        problemColor = c_.colors.offline;
    }
    if (health.underReplicated > 0) {
        problems += (problems.isEmpty() ? QString() : QStringLiteral("   "))
            + tr("\u26a0 %n under-replicated", nullptr, health.underReplicated);
    }
    if (!problems.isEmpty()) {
        painter.setFont(scaledFont(0.95, true));
        painter.setPen(problemColor);
        const double width = QFontMetricsF(painter.font()).horizontalAdvance(problems);
        painter.drawText(text, Qt::AlignVCenter | Qt::AlignRight, problems);
        text.setRight(text.right() - width - m_.padding * 2);
        painter.setFont(scaledFont(0.95));
    }
    painter.setPen(c_.colors.mutedText);
    painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(facts, Qt::ElideRight, text.width()));
}

void ClusterPainter::paintPartitionCells(QPainter& painter, std::size_t rowIndex) const
{
    const ClusterLayout& layout = *c_.layout;
    const LayoutRow& row = layout.rows[rowIndex];
    const auto& topic = c_.snapshot->topics[static_cast<std::size_t>(row.topic)];
    const auto& partition = topic.partitions[static_cast<std::size_t>(row.partition)];
    const OffsetScale scale = OffsetScale::of(partition);
    const QFont font = scaledFont(0.95);
    const QFont bold = scaledFont(0.95, true);
    const QFontMetricsF fm(font);
    const double lineHeight = fm.height();
    const double barHeight = std::max(3.0, 6 * m_.zoom);

    for (std::size_t col = 0; col < layout.columns.size(); ++col) {
        const driver::ReplicaSnapshot* replica = replicaOn(partition, layout.columns[col].broker);
        if (!replica)
            continue;
        const QRectF cell = bodyCell(rowIndex, col);
        if (cell.right() < m_.labelWidth || cell.left() > c_.viewport.width())
            continue;
        const QRectF inner = cell.adjusted(m_.padding * 1.5, m_.padding * 0.6, -m_.padding * 1.5, -m_.padding * 0.8);
        const ReplicaState state = replicaState(*replica);
        const double glyph = std::min(lineHeight, inner.height() * 0.6);
        const bool withText = inner.height() >= lineHeight + barHeight + 2;

        if (!withText) {
            paintReplicaGlyph(
                painter, QRectF(inner.left(), inner.center().y() - glyph / 2, glyph, glyph), state, c_.colors);
            const QRectF track(inner.left() + glyph + m_.padding, inner.center().y() - barHeight / 2,
                inner.width() - glyph - m_.padding, barHeight);
            paintLogBar(painter, track, *replica, scale, state, c_.colors);
            continue;
        }
        paintReplicaGlyph(
            painter, QRectF(inner.left(), inner.top() + (lineHeight - glyph) / 2, glyph, glyph), state, c_.colors);
        const QRectF line(
            inner.left() + glyph + 5 * m_.zoom, inner.top(), inner.width() - glyph - 5 * m_.zoom, lineHeight);

        // Right: how fast this replica's log grows. A leader appends what producers send; a follower replicates.
        const double rate = c_.rates ? c_.rates->replica(topic.name, partition.partition, replica->broker) : 0;
        const QString rateText = state == ReplicaState::Offline ? QString() : QStringLiteral("+") + formatRate(rate);
        painter.setFont(font);
        painter.setPen(c_.colors.mutedText);
        painter.drawText(line, Qt::AlignVCenter | Qt::AlignRight, rateText);
        const double rateWidth = fm.horizontalAdvance(rateText) + m_.padding;

        QString role = roleText(state);
        QString detail;
        if (state == ReplicaState::InSyncFollower || state == ReplicaState::OutOfSync) {
            const std::int64_t lag = std::max<std::int64_t>(0, partition.logEndOffset - replica->logEndOffset);
            detail = tr("lag %1").arg(formatCount(lag));
        }
        painter.setFont(bold);
        painter.setPen(c_.colors.forState(state));
        const QFontMetricsF boldMetrics(bold);
        const QString roleShown = boldMetrics.elidedText(role, Qt::ElideRight, line.width() - rateWidth);
        painter.drawText(line, Qt::AlignVCenter | Qt::AlignLeft, roleShown);
        const double roleWidth = boldMetrics.horizontalAdvance(roleShown) + 6 * m_.zoom;
        painter.setFont(font);
        painter.setPen(c_.colors.mutedText);
        const QRectF detailRect = line.adjusted(roleWidth, 0, -rateWidth, 0);
        painter.drawText(
            detailRect, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(detail, Qt::ElideRight, detailRect.width()));

        const QRectF track(inner.left(), inner.bottom() - barHeight, inner.width(), barHeight);
        if (inner.height() >= 2 * lineHeight + barHeight + 2) {
            const QRectF numbers(inner.left(), inner.top() + lineHeight, inner.width(), lineHeight);
            const QString text = tr("LEO %1 \u00b7 HW %2")
                                     .arg(formatCount(replica->logEndOffset), formatCount(replica->highWatermark));
            painter.drawText(
                numbers, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(text, Qt::ElideRight, numbers.width()));
        }
        paintLogBar(painter, track, *replica, scale, state, c_.colors);
    }
}

void ClusterPainter::paintSummaryCells(QPainter& painter, std::size_t rowIndex) const
{
    const ClusterLayout& layout = *c_.layout;
    const LayoutRow& row = layout.rows[rowIndex];
    const auto& topic = c_.snapshot->topics[static_cast<std::size_t>(row.topic)];
    const QFont font = scaledFont(0.95);
    const QFontMetricsF fm(font);
    const double lineHeight = fm.height();
    for (std::size_t col = 0; col < layout.columns.size(); ++col) {
        const QRectF cell = bodyCell(rowIndex, col);
        if (cell.right() < m_.labelWidth || cell.left() > c_.viewport.width())
            continue;
        const QRectF inner = cell.adjusted(m_.padding * 1.5, m_.padding, -m_.padding * 1.5, -m_.padding);
        const std::int32_t broker = layout.columns[col].broker;
        const ReplicaCounts counts = countReplicas(topic, broker);

        // Counts per state, each behind its glyph; the problem states only appear when they occur.
        struct Entry {
            ReplicaState state;
            int count;
        };
        const Entry entries[]
            = { { ReplicaState::Leader, counts.leaders }, { ReplicaState::InSyncFollower, counts.inSyncFollowers },
                  { ReplicaState::OutOfSync, counts.outOfSync }, { ReplicaState::Offline, counts.offline } };
        double x = inner.left();
        const double glyph = lineHeight * 0.9;
        painter.setFont(font);
        for (const Entry& entry : entries) {
            const bool problem = entry.state == ReplicaState::OutOfSync || entry.state == ReplicaState::Offline;
            if (problem && entry.count == 0)
                continue;
            const QString text = formatCount(entry.count);
            const double width = glyph + 3 * m_.zoom + fm.horizontalAdvance(text);
            if (x + width > inner.right())
                break;
            paintReplicaGlyph(
                painter, QRectF(x, inner.top() + (lineHeight - glyph) / 2, glyph, glyph), entry.state, c_.colors);
            painter.setPen(problem ? c_.colors.forState(entry.state) : c_.colors.text);
            painter.drawText(QRectF(x + glyph + 3 * m_.zoom, inner.top(), width, lineHeight),
                Qt::AlignVCenter | Qt::AlignLeft, text);
            x += width + 10 * m_.zoom;
        }

        // One bin per device-independent pixel at most; each bin shows the most urgent state that falls into it.
        const double stripHeight = std::max(4.0, std::min(12 * m_.zoom, inner.height() - lineHeight - 4));
        const QRectF strip(inner.left(), inner.bottom() - stripHeight, inner.width(), stripHeight);
        const std::vector<ReplicaState> bins = stripBins(topic, broker, static_cast<int>(strip.width()));
        painter.fillRect(strip, withAlpha(c_.colors.line, 70));
        if (bins.empty())
            continue;
        const double binWidth = strip.width() / static_cast<double>(bins.size());
        painter.setRenderHint(QPainter::Antialiasing, false);
        for (std::size_t b = 0; b < bins.size(); ++b) {
            if (bins[b] == ReplicaState::Absent)
                continue;
            // Leave a hairline between wide bins so individual partitions stay countable in small topics.
            const double gap = binWidth >= 6 ? 1.0 : 0.0;
            painter.fillRect(
                QRectF(strip.left() + binWidth * static_cast<double>(b), strip.top(), binWidth - gap, strip.height()),
                c_.colors.forState(bins[b]));
        }
        painter.setRenderHint(QPainter::Antialiasing, true);
    }
}

void ClusterPainter::paintLabels(QPainter& painter) const
{
    const ClusterLayout& layout = *c_.layout;
    const driver::Snapshot& snapshot = *c_.snapshot;
    const QRectF column(0, m_.headerHeight, m_.labelWidth, c_.viewport.height() - m_.headerHeight);
    painter.save();
    painter.setClipRect(column);
    painter.fillRect(column, c_.colors.base);
    const QFont font = scaledFont(0.95);
    const QFont bold = scaledFont(1.0, true);
    const QFontMetricsF fm(font);
    const QFontMetricsF boldMetrics(bold);

    const auto [first, last]
        = layout.rowsBetween(c_.scroll.y() + m_.headerHeight, c_.scroll.y() + c_.viewport.height());
    for (std::size_t i = first; i < last; ++i) {
        const LayoutRow& row = layout.rows[i];
        const auto& topic = snapshot.topics[static_cast<std::size_t>(row.topic)];
        const QRectF rect(0, row.y - c_.scroll.y(), m_.labelWidth, row.height);
        const QRectF inner = rect.adjusted(m_.padding * 1.5, m_.padding * 0.6, -m_.padding, -m_.padding * 0.6);
        const double rate = c_.rates ? c_.rates->topic(topic.name) : 0;

        if (row.kind == LayoutRow::Kind::Topic) {
            painter.fillRect(rect, c_.colors.band);
            painter.setPen(QPen(c_.colors.line, 1));
            painter.drawLine(rect.topLeft(), rect.topRight());
            // The triangle says whether the topic shows one row per partition (pointing down) or one summary row.
            const bool aggregated = layout.aggregated[static_cast<std::size_t>(row.topic)];
            const double s = 5 * m_.zoom;
            const QPointF centre(m_.toggleWidth / 2 + 2 * m_.zoom, rect.center().y());
            QPolygonF triangle;
            if (aggregated)
                triangle << centre + QPointF(-s * 0.6, -s) << centre + QPointF(s * 0.8, 0)
                         << centre + QPointF(-s * 0.6, s);
            else
                triangle << centre + QPointF(-s, -s * 0.6) << centre + QPointF(s, -s * 0.6)
                         << centre + QPointF(0, s * 0.8);
            painter.setPen(Qt::NoPen);
            painter.setBrush(c_.colors.mutedText);
            painter.drawPolygon(triangle);
            painter.setBrush(Qt::NoBrush);
            const QRectF text = rect.adjusted(m_.toggleWidth + 2 * m_.zoom, 0, -m_.padding, 0);
            const QString rateText = formatRate(rate);
            painter.setFont(font);
            painter.setPen(c_.colors.mutedText);
            painter.drawText(text, Qt::AlignVCenter | Qt::AlignRight, rateText);
            painter.setFont(bold);
            painter.setPen(c_.colors.text);
            painter.drawText(text.adjusted(0, 0, -fm.horizontalAdvance(rateText) - m_.padding, 0),
                Qt::AlignVCenter | Qt::AlignLeft,
                boldMetrics.elidedText(QString::fromStdString(topic.name), Qt::ElideMiddle,
                    text.width() - fm.horizontalAdvance(rateText) - m_.padding));
            continue;
        }

        if (row.kind == LayoutRow::Kind::Summary) {
            const TopicHealth health = topicHealth(topic);
            painter.setFont(font);
            painter.setPen(c_.colors.text);
            const QRectF line1(inner.left(), inner.top(), inner.width(), fm.height());
            painter.drawText(line1, Qt::AlignVCenter | Qt::AlignLeft,
                fm.elidedText(tr("%n partition(s), aggregated", nullptr, static_cast<int>(topic.partitions.size())),
                    Qt::ElideRight, inner.width()));
            const QRectF line2(inner.left(), inner.top() + fm.height(), inner.width(), fm.height());
            QString state = tr("all partitions fully replicated");
            QColor color = c_.colors.inSync;
            if (health.offline > 0 || health.underReplicated > 0) {
                state = tr("%1 offline \u00b7 %2 under-replicated").arg(health.offline).arg(health.underReplicated);
                color = health.offline > 0 ? c_.colors.offline : c_.colors.outOfSync;
            }
            painter.setPen(color);
            painter.drawText(
                line2, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(state, Qt::ElideRight, inner.width()));
            continue;
        }

        const auto& partition = topic.partitions[static_cast<std::size_t>(row.partition)];
        QColor background = row.partition % 2 == 1 ? c_.colors.alternateBase : c_.colors.base;
        if (partition.offline())
            background = c_.colors.errorTint;
        else if (partition.underReplicated())
            background = c_.colors.warningTint;
        painter.fillRect(rect, background);
        const QString name
            = QString::fromStdString(topic.name) + QLatin1Char('-') + QString::number(partition.partition);
        const bool twoLines = inner.height() >= 2 * fm.height();
        const QRectF line1(inner.left(), twoLines ? inner.top() : inner.top() + (inner.height() - fm.height()) / 2,
            inner.width(), fm.height());
        const QString partitionRate = formatRate(c_.rates ? c_.rates->partition(topic.name, partition.partition) : 0);
        painter.setFont(font);
        painter.setPen(c_.colors.mutedText);
        painter.drawText(line1, Qt::AlignVCenter | Qt::AlignRight, partitionRate);
        painter.setPen(c_.colors.text);
        painter.drawText(line1.adjusted(0, 0, -fm.horizontalAdvance(partitionRate) - m_.padding, 0),
            Qt::AlignVCenter | Qt::AlignLeft,
            fm.elidedText(name, Qt::ElideMiddle, line1.width() - fm.horizontalAdvance(partitionRate) - m_.padding));
        if (!twoLines)
            continue;
        const QRectF line2(inner.left(), inner.top() + fm.height(), inner.width(), fm.height());
        QString status = tr("leader epoch %1").arg(partition.leaderEpoch);
        QColor statusColor = c_.colors.mutedText;
        if (partition.offline()) {
            status = tr("\u2715 offline: no leader");
            statusColor = c_.colors.offline;
        } else if (partition.underReplicated()) {
            status = tr("\u26a0 under-replicated (ISR %1 of %2)")
                         .arg(partition.isr.size())
                         .arg(partition.replicaIds.size());
            statusColor = c_.colors.outOfSync;
        }
        painter.setFont(partition.offline() || partition.underReplicated() ? scaledFont(0.95, true) : font);
        painter.setPen(statusColor);
        painter.drawText(line2, Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetricsF(painter.font()).elidedText(status, Qt::ElideRight, line2.width()));
    }
    // Selections in the label column: a partition or topic outline continues into it.
    for (const auto& [item, selection] : { std::pair { c_.highlight, false }, std::pair { c_.selection, true } }) {
        if (item.kind != ClusterItem::Kind::Partition && item.kind != ClusterItem::Kind::Topic)
            continue;
        QRectF rect = layout.itemRect(snapshot, item).translated(0, -c_.scroll.y());
        if (rect.isEmpty())
            continue;
        rect.setLeft(0);
        rect.setRight(m_.labelWidth);
        if (!selection)
            painter.fillRect(rect, c_.colors.highlightFill);
        else
            painter.fillRect(QRectF(rect.left(), rect.top(), 4 * m_.zoom, rect.height()), c_.colors.selection);
    }
    painter.setPen(QPen(c_.colors.line, 1));
    painter.drawLine(QPointF(m_.labelWidth - 0.5, column.top()), QPointF(m_.labelWidth - 0.5, column.bottom()));
    painter.restore();
}

void ClusterPainter::paintHeader(QPainter& painter) const
{
    const ClusterLayout& layout = *c_.layout;
    const driver::Snapshot& snapshot = *c_.snapshot;
    const QRectF header(0, 0, c_.viewport.width(), m_.headerHeight);
    painter.save();
    painter.setClipRect(header);
    painter.fillRect(header, c_.colors.band);

    const QFont font = scaledFont(0.95);
    const QFont title = scaledFont(1.05, true);
    const QFontMetricsF fm(font);
    const QFontMetricsF titleMetrics(title);

    std::size_t partitions = 0;
    for (const auto& topic : snapshot.topics)
        partitions += topic.partitions.size();
    const QRectF corner
        = QRectF(0, 0, m_.labelWidth, m_.headerHeight).adjusted(m_.padding * 1.5, m_.padding, -m_.padding, -m_.padding);
    painter.setFont(title);
    painter.setPen(c_.colors.text);
    painter.drawText(QRectF(corner.left(), corner.top(), corner.width(), titleMetrics.height()),
        Qt::AlignLeft | Qt::AlignVCenter, tr("Cluster"));
    painter.setFont(font);
    painter.setPen(c_.colors.mutedText);
    const QString summary = tr("%n broker(s)", nullptr, static_cast<int>(snapshot.brokers.size())) + QLatin1Char('\n')
        + tr("%n topic(s)", nullptr, static_cast<int>(snapshot.topics.size())) + QLatin1Char('\n')
        + tr("%n partition(s)", nullptr, static_cast<int>(partitions));
    painter.drawText(corner.adjusted(0, titleMetrics.height() + 2, 0, 0), Qt::AlignLeft | Qt::AlignTop, summary);

    painter.setClipRect(QRectF(m_.labelWidth, 0, c_.viewport.width() - m_.labelWidth, m_.headerHeight));
    for (std::size_t col = 0; col < layout.columns.size(); ++col) {
        const auto& broker = snapshot.brokers[col];
        const QRectF card = layout.headerRect(col)
                                .translated(-c_.scroll.x(), 0)
                                .adjusted(m_.padding, m_.padding, -m_.padding, -m_.padding);
        if (card.right() < m_.labelWidth || card.left() > c_.viewport.width())
            continue;
        const bool selected = c_.selection.kind == ClusterItem::Kind::Broker && c_.selection.broker == broker.id;
        const bool highlighted = c_.highlight.kind == ClusterItem::Kind::Broker && c_.highlight.broker == broker.id;
        painter.setPen(QPen(selected ? c_.colors.selection : c_.colors.line, selected ? 2.0 : 1.0));
        painter.setBrush(highlighted ? c_.colors.highlightFill : c_.colors.base);
        painter.drawRoundedRect(card, 6 * m_.zoom, 6 * m_.zoom);
        painter.setBrush(Qt::NoBrush);

        const QRectF inner = card.adjusted(m_.padding * 1.5, m_.padding * 0.8, -m_.padding * 1.5, -m_.padding * 0.5);
        double y = inner.top();
        // Line 1: name, and the controller badge when this broker is the active controller.
        painter.setFont(title);
        painter.setPen(c_.colors.text);
        const QRectF line1(inner.left(), y, inner.width(), titleMetrics.height());
        painter.drawText(line1, Qt::AlignLeft | Qt::AlignVCenter, tr("Broker %1").arg(broker.id));
        if (broker.controller) {
            const QString badge = tr("controller");
            painter.setFont(font);
            const double width = fm.horizontalAdvance(badge);
            const double glyph = fm.height() * 0.7;
            painter.setPen(c_.colors.leader);
            painter.drawText(line1, Qt::AlignRight | Qt::AlignVCenter, badge);
            paintControllerGlyph(painter,
                QRectF(line1.right() - width - glyph - 4 * m_.zoom, line1.center().y() - glyph / 2, glyph, glyph),
                c_.colors.leader);
        }
        y += titleMetrics.height();
        painter.setFont(font);
        const double glyph = fm.height() * 0.75;
        const QRectF line2(inner.left(), y, inner.width(), fm.height());
        paintBrokerGlyph(
            painter, QRectF(line2.left(), line2.center().y() - glyph / 2, glyph, glyph), broker.state, c_.colors);
        QString state = brokerStateText(broker.state);
        if (!broker.rack.empty())
            state += QStringLiteral("  \u00b7  ") + tr("rack %1").arg(QString::fromStdString(broker.rack));
        painter.setPen(broker.state == cluster::BrokerState::Online ? c_.colors.text
                : broker.state == cluster::BrokerState::Fenced      ? c_.colors.outOfSync
                                                                    : c_.colors.offline);
        painter.drawText(line2.adjusted(glyph + 5 * m_.zoom, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(state, Qt::ElideRight, line2.width() - glyph - 5 * m_.zoom));
        y += fm.height();
        painter.setPen(c_.colors.mutedText);
        const BrokerLoad load = brokerLoad(snapshot, broker.id);
        const QString counts = tr("%n leader(s)", nullptr, load.leaders) + QStringLiteral(" \u00b7 ")
            + tr("%n replica(s)", nullptr, load.replicas);
        painter.drawText(QRectF(inner.left(), y, inner.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(counts, Qt::ElideRight, inner.width()));
        y += fm.height();
        const QString storage
            = tr("%1 stored \u00b7 in %2")
                  .arg(formatBytes(broker.storedBytes), formatRate(c_.rates ? c_.rates->broker(broker.id) : 0));
        if (y + fm.height() <= inner.bottom() + 2)
            painter.drawText(QRectF(inner.left(), y, inner.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(storage, Qt::ElideRight, inner.width()));
    }
    painter.restore();
    painter.setPen(QPen(c_.colors.line, 1));
    painter.drawLine(QPointF(0, m_.headerHeight - 0.5), QPointF(c_.viewport.width(), m_.headerHeight - 0.5));
}

void ClusterPainter::paintOverlay(QPainter& painter, const ClusterItem& item, bool selection) const
{
    if (item.isNone())
        return;
    QRectF rect = c_.layout->itemRect(*c_.snapshot, item);
    if (rect.isEmpty())
        return;
    rect.translate(-c_.scroll);
    if (item.kind == ClusterItem::Kind::Topic || item.kind == ClusterItem::Kind::Partition)
        rect.setLeft(m_.labelWidth);
    if (item.kind == ClusterItem::Kind::Broker)
        rect.setTop(m_.headerHeight);
    rect.adjust(1.5, 1.5, -1.5, -1.5);
    if (!selection) {
        painter.fillRect(rect, c_.colors.highlightFill);
        painter.setPen(QPen(c_.colors.selection, 1.5, Qt::DashLine));
    } else {
        painter.setPen(QPen(c_.colors.selection, 2.0));
    }
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(rect, 4 * m_.zoom, 4 * m_.zoom);
}

void ClusterPainter::paintReplicaGlyph(
    QPainter& painter, const QRectF& box, ReplicaState state, const StatusColors& colors)
{
    const QRectF r = square(box).adjusted(0.5, 0.5, -0.5, -0.5);
    const QColor color = colors.forState(state);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    switch (state) {
    case ReplicaState::Leader: {
        QPainterPath star;
        const QPointF centre = r.center();
        const double outer = r.width() / 2 + 0.5;
        const double innerRadius = outer * 0.45;
        for (int i = 0; i < 10; ++i) {
            const double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
            const double radius = i % 2 == 0 ? outer : innerRadius;
            const QPointF point(
                centre.x() + radius * std::cos(angle), centre.y() + radius * std::sin(angle) + outer * 0.08);
            i == 0 ? star.moveTo(point) : star.lineTo(point);
        }
        star.closeSubpath();
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawPath(star);
        break;
    }
    case ReplicaState::InSyncFollower:
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(r.adjusted(r.width() * 0.1, r.width() * 0.1, -r.width() * 0.1, -r.width() * 0.1));
        break;
    case ReplicaState::OutOfSync: {
        QPen pen(color, std::max(1.5, r.width() * 0.14));
        pen.setDashPattern({ 1.6, 1.2 });
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        const double inset = r.width() * 0.16;
        painter.drawEllipse(r.adjusted(inset, inset, -inset, -inset));
        break;
    }
    case ReplicaState::Offline: {
        painter.setPen(QPen(color, std::max(1.6, r.width() * 0.16), Qt::SolidLine, Qt::RoundCap));
        const double inset = r.width() * 0.2;
        const QRectF x = r.adjusted(inset, inset, -inset, -inset);
        painter.drawLine(x.topLeft(), x.bottomRight());
        painter.drawLine(x.topRight(), x.bottomLeft());
        break;
    }
    case ReplicaState::Absent:
        break;
    }
    painter.restore();
}

void ClusterPainter::paintBrokerGlyph(
    QPainter& painter, const QRectF& box, cluster::BrokerState state, const StatusColors& colors)
{
    const QRectF r = square(box).adjusted(1, 1, -1, -1);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    switch (state) {
    case cluster::BrokerState::Online:
        painter.setPen(Qt::NoPen);
        painter.setBrush(colors.inSync);
        painter.drawEllipse(r);
        break;
    case cluster::BrokerState::Fenced:
        painter.setPen(QPen(colors.outOfSync, 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(r);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colors.outOfSync);
        painter.drawPie(r, 90 * 16, 180 * 16);
        break;
    case cluster::BrokerState::Offline: {
        painter.setPen(QPen(colors.offline, 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(r);
        const double inset = r.width() * 0.3;
        const QRectF x = r.adjusted(inset, inset, -inset, -inset);
        painter.drawLine(x.topLeft(), x.bottomRight());
        painter.drawLine(x.topRight(), x.bottomLeft());
        break;
    }
    }
    painter.restore();
}

void ClusterPainter::paintControllerGlyph(QPainter& painter, const QRectF& box, const QColor& color)
{
    const QRectF r = square(box);
    QPolygonF diamond;
    diamond << QPointF(r.center().x(), r.top()) << QPointF(r.right(), r.center().y())
            << QPointF(r.center().x(), r.bottom()) << QPointF(r.left(), r.center().y());
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(diamond);
    painter.restore();
}

void ClusterPainter::paintLogBar(QPainter& painter, const QRectF& track, const driver::ReplicaSnapshot& replica,
    const OffsetScale& scale, ReplicaState state, const StatusColors& colors)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillRect(track, withAlpha(colors.line, 80));
    const LogBarGeometry bar = logBarGeometry(track, replica, scale);
    if (!bar.empty) {
        QColor committed = colors.forState(state);
        if (state == ReplicaState::Offline)
            committed.setAlpha(110); // what the broker held when it went away
        painter.fillRect(bar.committed, committed);
        // Written but not yet below the high watermark: lighter, so the uncommitted tail stands out.
        painter.fillRect(bar.uncommitted, withAlpha(colors.forState(state), 90));
        // The high watermark tick sticks out of the bar so it reads even where the tail is a single pixel.
        painter.fillRect(QRectF(bar.highWatermarkX - 1, track.top() - 2, 2, track.height() + 4), colors.text);
    }
    painter.restore();
}

} // namespace brokerlab::ui
