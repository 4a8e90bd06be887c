#include "serieshistory.h"

#include <algorithm>

namespace brokerlab::ui {

SeriesHistory::SeriesHistory(std::size_t capacity, Merge merge)
    : capacity_(std::max<std::size_t>(4, capacity))
    , merge_(merge)
{
    points_.reserve(capacity_);
}

QPointF SeriesHistory::merged(const QPointF& a, std::size_t weightA, const QPointF& b, std::size_t weightB) const
{
    // A bucket sits at the time of its newest sample, so the line reaches the present and never runs ahead of it.
    if (merge_ == Merge::Max)
        return { b.x(), std::max(a.y(), b.y()) };
    if (merge_ == Merge::Min)
        return { b.x(), std::min(a.y(), b.y()) };
    const double total = static_cast<double>(weightA + weightB);
    return { b.x(), (a.y() * static_cast<double>(weightA) + b.y() * static_cast<double>(weightB)) / total };
}

void SeriesHistory::append(double x, double y)
{
    pending_ = pendingCount_ == 0 ? QPointF(x, y) : merged(pending_, pendingCount_, QPointF(x, y), 1);
    if (++pendingCount_ < stride_)
        return;
    points_.push_back(pending_);
    pendingCount_ = 0;
    // Keep one slot free for the bucket being filled, so points() never exceeds the capacity.
    if (points_.size() >= capacity_ - 1)
        compact();
}

void SeriesHistory::compact()
{
    // An odd last point becomes the start of the bucket being filled, so every stored point keeps standing for
    // the same number of samples and means stay means.
    const bool odd = points_.size() % 2 == 1;
    if (odd) {
        pending_ = points_.back();
        pendingCount_ = stride_;
        points_.pop_back();
    }
    for (std::size_t i = 0; i + 1 < points_.size(); i += 2)
        points_[i / 2] = merged(points_[i], 1, points_[i + 1], 1);
    points_.resize(points_.size() / 2);
    stride_ *= 2;
}

void SeriesHistory::clear()
{
    points_.clear();
    stride_ = 1;
    pendingCount_ = 0;
}

QList<QPointF> SeriesHistory::points() const
{
    QList<QPointF> result(points_.cbegin(), points_.cend());
    if (pendingCount_ > 0)
        result.append(pending_);
    return result;
}

} // namespace brokerlab::ui
