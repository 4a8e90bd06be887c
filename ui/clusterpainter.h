#pragma once
// Paints the cluster view from a snapshot and its layout. Kept apart from the widget so the widget only handles
// input and scrolling, and so the legend draws exactly the glyphs the view draws.

#include "cluster/metadata.h"
#include "clusteritem.h"
#include "clusterlayout.h"
#include "ratetracker.h"
#include "replicastate.h"
#include "statuscolors.h"

#include <QCoreApplication>
#include <QFont>
#include <QPointF>
#include <QSizeF>

class QPainter;

namespace brokerlab::ui {

struct ClusterPaintContext {
    const driver::Snapshot* snapshot = nullptr;
    const ClusterLayout* layout = nullptr;
    const Rates* rates = nullptr;
    ClusterItem selection;
    ClusterItem highlight;
    QPointF scroll;
    QSizeF viewport;
    StatusColors colors;
    QFont font;
};

class ClusterPainter {
    Q_DECLARE_TR_FUNCTIONS(brokerlab::ui::ClusterPainter)

public:
    explicit ClusterPainter(const ClusterPaintContext& context);
    void paint(QPainter& painter) const;

    // Shapes that carry the state along with the colour: a star for the leader, a filled disc for an in-sync
    // follower, a dashed ring for a follower out of sync, a cross for an offline replica.
    static void paintReplicaGlyph(QPainter& painter, const QRectF& box, ReplicaState state, const StatusColors& colors);
    // A filled disc when online, a half-filled disc when fenced, a ring with a cross when offline.
    static void paintBrokerGlyph(
        QPainter& painter, const QRectF& box, cluster::BrokerState state, const StatusColors& colors);
    static void paintControllerGlyph(QPainter& painter, const QRectF& box, const QColor& color);
    static void paintLogBar(QPainter& painter, const QRectF& track, const driver::ReplicaSnapshot& replica,
        const OffsetScale& scale, ReplicaState state, const StatusColors& colors);

private:
    QPointF toViewport(QPointF content) const;
    QRectF bodyCell(std::size_t row, std::size_t column) const;
    void paintBody(QPainter& painter) const;
    void paintPartitionCells(QPainter& painter, std::size_t row) const;
    void paintSummaryCells(QPainter& painter, std::size_t row) const;
    void paintTopicBand(QPainter& painter, std::size_t row) const;
    void paintLabels(QPainter& painter) const;
    void paintHeader(QPainter& painter) const;
    void paintOverlay(QPainter& painter, const ClusterItem& item, bool selection) const;
    QFont scaledFont(double factor = 1.0, bool bold = false) const;

    const ClusterPaintContext& c_;
    const ClusterMetrics& m_;
};

} // namespace brokerlab::ui
