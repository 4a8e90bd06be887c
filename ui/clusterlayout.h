#pragma once
// Where everything in the cluster view goes: brokers as columns, topics and their partitions as rows, a replica
// where a partition's row crosses its broker's column. Plain values and arithmetic, no painting, so the geometry
// (zoom, the dense mode that keeps 1,000 partitions readable, hit testing, log bars) has its own unit tests.
//
// Coordinates are content coordinates: the broker header occupies y in [0, headerHeight) and the label column
// x in [0, labelWidth). The view pins both while the rest scrolls, which is why hit testing takes the scroll
// position and a point in the viewport.

#include "clusteritem.h"
#include "driver/snapshot.h"

#include <QPointF>
#include <QRectF>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace brokerlab::ui {

struct ClusterMetrics {
    double zoom = 1.0;
    double headerHeight = 0;
    double labelWidth = 0;
    double topicRowHeight = 0;
    double partitionRowHeight = 0;
    double summaryRowHeight = 0;
    double minColumnWidth = 0;
    double maxColumnWidth = 0;
    double padding = 0; // inside a cell, around the replica glyph and text
    double toggleWidth = 0; // the expand/aggregate triangle at the start of a topic row

    static constexpr double kMinZoom = 0.5;
    static constexpr double kMaxZoom = 2.5;
    static ClusterMetrics forZoom(double zoom);
    // Fonts grow more slowly than boxes: text must stay legible when zoomed out and not balloon when zoomed in.
    double fontScale() const;
};

struct ClusterLayoutOptions {
    double zoom = 1.0;
    double viewportWidth = 0; // columns stretch to fill it, up to maxColumnWidth
    bool dense = false; // aggregate every topic into one summary row
    int denseThreshold = 32; // a topic with more partitions starts aggregated
    std::set<std::string> toggledTopics; // topics the person expanded or aggregated by hand
};

struct BrokerColumn {
    std::int32_t broker = 0;
    double x = 0;
    double width = 0;
};

struct LayoutRow {
    enum class Kind { Topic, Partition, Summary };
    Kind kind = Kind::Topic;
    int topic = 0; // index into Snapshot::topics
    int partition = -1; // index into TopicSnapshot::partitions (Partition rows only)
    double y = 0;
    double height = 0;
};

struct HitResult {
    ClusterItem item;
    bool onToggle = false; // the triangle that expands or aggregates a topic
};

struct ClusterLayout {
    ClusterMetrics metrics;
    std::vector<BrokerColumn> columns;
    std::vector<LayoutRow> rows;
    std::vector<bool> aggregated; // per topic index
    double contentWidth = 0;
    double contentHeight = 0;

    static ClusterLayout compute(const driver::Snapshot& snapshot, const ClusterLayoutOptions& options);
    static bool isAggregated(const driver::TopicSnapshot& topic, const ClusterLayoutOptions& options);

    // Rows that intersect content y in [top, bottom): a half-open index range, found by binary search so that
    // painting 1,000 expanded partitions only touches the few dozen on screen.
    std::pair<std::size_t, std::size_t> rowsBetween(double top, double bottom) const;
    int rowAt(double contentY) const; // -1 outside the rows
    int columnAt(double contentX) const; // -1 outside the columns
    int columnOf(std::int32_t broker) const;
    QRectF rowRect(std::size_t row) const; // the full width of the row, labels included
    QRectF cellRect(std::size_t row, std::size_t column) const;
    QRectF headerRect(std::size_t column) const;

    HitResult hitTest(const driver::Snapshot& snapshot, QPointF viewportPos, QPointF scroll) const;
    // Content rectangle that shows `item` (for scrolling to it and outlining it); empty when not laid out.
    QRectF itemRect(const driver::Snapshot& snapshot, const ClusterItem& item) const;
};

// Maps offsets of one partition onto a bar: from the lowest log start to the highest log end offset among its
// replicas, so that every replica of the partition is drawn on the same scale and a lagging follower's bar is
// visibly shorter.
struct OffsetScale {
    std::int64_t low = 0;
    std::int64_t high = 0;

    static OffsetScale of(const driver::PartitionSnapshot& partition);
    double fraction(std::int64_t offset) const; // 0..1, clamped; 0 for an empty scale
};

struct LogBarGeometry {
    QRectF committed; // log start up to the high watermark: what consumers may read
    QRectF uncommitted; // the high watermark up to the log end offset: written, not yet replicated enough
    double highWatermarkX = 0;
    bool empty = true; // nothing stored (or nothing left after retention)
};
LogBarGeometry logBarGeometry(const QRectF& track, const driver::ReplicaSnapshot& replica, const OffsetScale& scale);

} // namespace brokerlab::ui
