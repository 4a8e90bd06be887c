#include "clusterlayout.h"

#include "replicastate.h"

#include <algorithm>

namespace brokerlab::ui {

ClusterMetrics ClusterMetrics::forZoom(double zoom)
{
    ClusterMetrics m;
    m.zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    m.headerHeight = 96 * m.zoom;
    m.labelWidth = 210 * m.zoom;
    m.topicRowHeight = 30 * m.zoom;
    m.partitionRowHeight = 44 * m.zoom;
    m.summaryRowHeight = 60 * m.zoom;
    m.minColumnWidth = 180 * m.zoom;
    m.maxColumnWidth = 340 * m.zoom;
    m.padding = 6 * m.zoom;
    m.toggleWidth = 22 * m.zoom;
    return m;
}

double ClusterMetrics::fontScale() const { return std::clamp(zoom, 0.8, 1.3); }

bool ClusterLayout::isAggregated(const driver::TopicSnapshot& topic, const ClusterLayoutOptions& options)
{
    const bool byDefault = options.dense || static_cast<int>(topic.partitions.size()) > options.denseThreshold;
    const bool toggled = options.toggledTopics.count(topic.name) != 0;
    return byDefault != toggled;
}

ClusterLayout ClusterLayout::compute(const driver::Snapshot& snapshot, const ClusterLayoutOptions& options)
{
    ClusterLayout layout;
    const ClusterMetrics& m = layout.metrics = ClusterMetrics::forZoom(options.zoom);

    const auto brokerCount = snapshot.brokers.size();
    double columnWidth = m.minColumnWidth;
    if (brokerCount > 0) {
        const double available = (options.viewportWidth - m.labelWidth) / static_cast<double>(brokerCount);
        columnWidth = std::clamp(available, m.minColumnWidth, m.maxColumnWidth);
    }
    layout.columns.reserve(brokerCount);
    for (std::size_t i = 0; i < brokerCount; ++i)
        layout.columns.push_back(
            { snapshot.brokers[i].id, m.labelWidth + static_cast<double>(i) * columnWidth, columnWidth });
    layout.contentWidth = m.labelWidth + static_cast<double>(brokerCount) * columnWidth;

    double y = m.headerHeight;
    // The user's topics come first, in the snapshot's order; internal ones (__consumer_offsets) below them.
    std::vector<std::size_t> order;
    order.reserve(snapshot.topics.size());
    for (const bool internal : { false, true }) {
        for (std::size_t t = 0; t < snapshot.topics.size(); ++t) {
            if (snapshot.topics[t].internal == internal)
                order.push_back(t);
        }
    }
    layout.aggregated.assign(snapshot.topics.size(), false);
    for (const std::size_t t : order) {
        const auto& topic = snapshot.topics[t];
        const bool aggregated = isAggregated(topic, options);
        layout.aggregated[t] = aggregated;
        const int topicIndex = static_cast<int>(t);
        layout.rows.push_back({ LayoutRow::Kind::Topic, topicIndex, -1, y, m.topicRowHeight });
        y += m.topicRowHeight;
        if (aggregated) {
            layout.rows.push_back({ LayoutRow::Kind::Summary, topicIndex, -1, y, m.summaryRowHeight });
            y += m.summaryRowHeight;
            continue;
        }
        for (std::size_t p = 0; p < topic.partitions.size(); ++p) {
            layout.rows.push_back(
                { LayoutRow::Kind::Partition, topicIndex, static_cast<int>(p), y, m.partitionRowHeight });
            y += m.partitionRowHeight;
        }
    }
    layout.contentHeight = y + m.padding;
    return layout;
}

std::pair<std::size_t, std::size_t> ClusterLayout::rowsBetween(double top, double bottom) const
{
    auto first
        = std::partition_point(rows.begin(), rows.end(), [top](const LayoutRow& r) { return r.y + r.height <= top; });
    auto last = std::partition_point(first, rows.end(), [bottom](const LayoutRow& r) { return r.y < bottom; });
    return { static_cast<std::size_t>(first - rows.begin()), static_cast<std::size_t>(last - rows.begin()) };
}

int ClusterLayout::rowAt(double contentY) const
{
    auto it = std::partition_point(
        rows.begin(), rows.end(), [contentY](const LayoutRow& r) { return r.y + r.height <= contentY; });
    if (it == rows.end() || it->y > contentY)
        return -1;
    return static_cast<int>(it - rows.begin());
}

int ClusterLayout::columnAt(double contentX) const
{
    if (columns.empty() || contentX < columns.front().x)
        return -1;
    const auto index = static_cast<std::size_t>((contentX - columns.front().x) / columns.front().width);
    return index < columns.size() ? static_cast<int>(index) : -1;
}

int ClusterLayout::columnOf(std::int32_t broker) const
{
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].broker == broker)
            return static_cast<int>(i);
    }
    return -1;
}

QRectF ClusterLayout::rowRect(std::size_t row) const
{
    const LayoutRow& r = rows.at(row);
    return { 0, r.y, contentWidth, r.height };
}

QRectF ClusterLayout::cellRect(std::size_t row, std::size_t column) const
{
    const LayoutRow& r = rows.at(row);
    const BrokerColumn& c = columns.at(column);
    return { c.x, r.y, c.width, r.height };
}

QRectF ClusterLayout::headerRect(std::size_t column) const
{
    const BrokerColumn& c = columns.at(column);
    return { c.x, 0, c.width, metrics.headerHeight };
}

HitResult ClusterLayout::hitTest(const driver::Snapshot& snapshot, QPointF viewportPos, QPointF scroll) const
{
    const double x = viewportPos.x();
    const double y = viewportPos.y();
    if (y < metrics.headerHeight) {
        if (x < metrics.labelWidth)
            return {};
        const int column = columnAt(x + scroll.x());
        return column < 0 ? HitResult {}
                          : HitResult { ClusterItem::brokerItem(columns[static_cast<std::size_t>(column)].broker) };
    }
    const int rowIndex = rowAt(y + scroll.y());
    if (rowIndex < 0)
        return {};
    const LayoutRow& row = rows[static_cast<std::size_t>(rowIndex)];
    if (row.topic < 0 || static_cast<std::size_t>(row.topic) >= snapshot.topics.size())
        return {}; // a layout from another snapshot: never guess
    const auto& topic = snapshot.topics[static_cast<std::size_t>(row.topic)];
    if (row.kind != LayoutRow::Kind::Partition)
        return { ClusterItem::topicItem(topic.name), row.kind == LayoutRow::Kind::Topic && x < metrics.toggleWidth };
    if (static_cast<std::size_t>(row.partition) >= topic.partitions.size())
        return {};
    const auto& partition = topic.partitions[static_cast<std::size_t>(row.partition)];
    if (x >= metrics.labelWidth) {
        const int column = columnAt(x + scroll.x());
        if (column >= 0) {
            const std::int32_t broker = columns[static_cast<std::size_t>(column)].broker;
            if (replicaOn(partition, broker))
                return { ClusterItem::replicaItem(topic.name, partition.partition, broker) };
        }
    }
    return { ClusterItem::partitionItem(topic.name, partition.partition) };
}

QRectF ClusterLayout::itemRect(const driver::Snapshot& snapshot, const ClusterItem& item) const
{
    if (item.kind == ClusterItem::Kind::None)
        return {};
    if (item.kind == ClusterItem::Kind::Broker) {
        const int column = columnOf(item.broker);
        return column < 0 ? QRectF()
                          : QRectF(columns[static_cast<std::size_t>(column)].x, 0,
                              columns[static_cast<std::size_t>(column)].width, contentHeight);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const LayoutRow& row = rows[i];
        if (static_cast<std::size_t>(row.topic) >= snapshot.topics.size())
            return {};
        const auto& topic = snapshot.topics[static_cast<std::size_t>(row.topic)];
        if (topic.name != item.topic)
            continue;
        if (item.kind == ClusterItem::Kind::Topic && row.kind == LayoutRow::Kind::Topic)
            return rowRect(i);
        const bool summary = row.kind == LayoutRow::Kind::Summary;
        const bool samePartition = row.kind == LayoutRow::Kind::Partition
            && topic.partitions[static_cast<std::size_t>(row.partition)].partition == item.partition;
        if (!summary && !samePartition)
            continue;
        if (item.kind == ClusterItem::Kind::Partition)
            return rowRect(i);
        if (item.kind == ClusterItem::Kind::Replica) {
            const int column = columnOf(item.broker);
            return column < 0 ? rowRect(i) : cellRect(i, static_cast<std::size_t>(column));
        }
    }
    return {};
}

OffsetScale OffsetScale::of(const driver::PartitionSnapshot& partition)
{
    OffsetScale scale;
    bool any = false;
    for (const auto& replica : partition.replicas) {
        if (!replica.online)
            continue;
        scale.low = any ? std::min(scale.low, replica.logStartOffset) : replica.logStartOffset;
        scale.high = any ? std::max(scale.high, replica.logEndOffset) : replica.logEndOffset;
        any = true;
    }
    return scale;
}

double OffsetScale::fraction(std::int64_t offset) const
{
    if (high <= low)
        return 0;
    return std::clamp(static_cast<double>(offset - low) / static_cast<double>(high - low), 0.0, 1.0);
}

LogBarGeometry logBarGeometry(const QRectF& track, const driver::ReplicaSnapshot& replica, const OffsetScale& scale)
{
    LogBarGeometry bar;
    bar.highWatermarkX = track.left();
    if (scale.high <= scale.low || replica.logEndOffset <= replica.logStartOffset)
        return bar;
    bar.empty = false;
    const double start = track.left() + track.width() * scale.fraction(replica.logStartOffset);
    const double end = track.left() + track.width() * scale.fraction(replica.logEndOffset);
    const std::int64_t highWatermark = std::clamp(replica.highWatermark, replica.logStartOffset, replica.logEndOffset);
    bar.highWatermarkX = track.left() + track.width() * scale.fraction(highWatermark);
    bar.committed = QRectF(start, track.top(), bar.highWatermarkX - start, track.height());
    bar.uncommitted = QRectF(bar.highWatermarkX, track.top(), end - bar.highWatermarkX, track.height());
    return bar;
}

} // namespace brokerlab::ui
