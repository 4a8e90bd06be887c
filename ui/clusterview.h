#pragma once
// The cluster, drawn live: brokers as columns, partitions as rows, each replica where its partition meets its
// broker. Zoom with Ctrl+wheel or +/-, pan by dragging or with the scroll bars; click to select. Painting is in
// ClusterPainter and geometry in ClusterLayout; this widget handles input and scrolling.

#include "clusteritem.h"
#include "clusterlayout.h"
#include "ratetracker.h"
#include "simulationsession.h"

#include <QAbstractScrollArea>
#include <QPoint>

namespace brokerlab::ui {

class ClusterView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit ClusterView(QWidget* parent = nullptr);

    void setSnapshot(const SnapshotPtr& snapshot, std::shared_ptr<const Rates> rates);
    SnapshotPtr snapshot() const { return snapshot_; }
    const ClusterLayout& clusterLayout() const { return layout_; }

    ClusterItem selection() const { return selection_; }
    void setSelection(const ClusterItem& item);
    // Marks what a timeline event touched and scrolls it into view; a None item clears the mark.
    void setHighlight(const ClusterItem& item);
    ClusterItem highlight() const { return highlight_; }

    double zoom() const { return options_.zoom; }
    void setZoom(double zoom, QPointF anchor = QPointF(-1, -1));
    void zoomIn();
    void zoomOut();
    void resetZoom();
    bool dense() const { return options_.dense; }
    void setDense(bool dense);
    // Flips one topic between a row per partition and a single summary row.
    void toggleTopic(const std::string& topic);

    QSize sizeHint() const override;

signals:
    void selectionChanged(const brokerlab::ui::ClusterItem& item);
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void relayout();
    void updateScrollBars();
    QPointF scrollPosition() const;
    QString toolTipFor(const ClusterItem& item) const;
    void ensureVisible(const ClusterItem& item);

    SnapshotPtr snapshot_;
    std::shared_ptr<const Rates> rates_;
    ClusterLayoutOptions options_;
    ClusterLayout layout_;
    ClusterItem selection_;
    ClusterItem highlight_;
    QPoint pressPosition_;
    QPoint lastDragPosition_;
    bool pressed_ = false;
    bool dragging_ = false;
};

} // namespace brokerlab::ui
