#pragma once
// A chart series' history that never holds more than `capacity` points, however long the run. When it fills,
// neighbouring points are merged pairwise and each later point stands for twice as many samples: appending is
// amortised O(1) and the whole run stays on the chart at a resolution that coarsens as it grows. That keeps
// decimation cheap enough for the GUI thread (see test_serieshistory's benchmark): no worker thread needed.

#include <QList>
#include <QPointF>

#include <cstddef>
#include <vector>

namespace brokerlab::ui {

class SeriesHistory {
public:
    // How merged samples combine: Mean for rates (a smooth trend), Max for lag and problem counts, where a short
    // spike is the news and must not be averaged away; Min for ISR sizes, where the dip is.
    enum class Merge { Mean, Max, Min };
    static constexpr std::size_t kDefaultCapacity = 2000;

    explicit SeriesHistory(std::size_t capacity = kDefaultCapacity, Merge merge = Merge::Mean);

    void append(double x, double y);
    void clear();
    // The points to draw, the bucket being filled included: never more than capacity().
    QList<QPointF> points() const;
    std::size_t size() const { return points_.size() + (pendingCount_ > 0 ? 1 : 0); }
    std::size_t capacity() const { return capacity_; }
    std::size_t samplesPerPoint() const { return stride_; }

private:
    QPointF merged(const QPointF& a, std::size_t weightA, const QPointF& b, std::size_t weightB) const;
    void compact();

    std::size_t capacity_;
    Merge merge_;
    std::vector<QPointF> points_; // complete buckets of `stride_` samples each
    std::size_t stride_ = 1;
    QPointF pending_; // the bucket being filled
    std::size_t pendingCount_ = 0;
};

} // namespace brokerlab::ui
