#pragma once
// The timeline: every event the engine reports on its live stream (topics created, leaders elected, segments
// deleted, errors), newest last. Bounded: past the capacity the oldest rows are dropped, so a long run cannot
// grow memory without limit.

#include "sim/trace.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <deque>
#include <set>
#include <vector>

namespace brokerlab::ui {

class TimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, BrokerColumn, PartitionColumn, ClientColumn, MessageColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, VirtualTimeRole, BrokerRole, TopicRole, PartitionRole };
    static constexpr std::size_t kDefaultCapacity = 100000;

    explicit TimelineModel(QObject* parent = nullptr, std::size_t capacity = kDefaultCapacity);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const std::vector<sim::Event>& events);
    void clear();
    std::size_t capacity() const { return capacity_; }
    std::uint64_t dropped() const { return dropped_; } // rows removed to stay within the capacity
    const sim::Event& event(int row) const { return events_.at(static_cast<std::size_t>(row)); }
    // Every kind seen since the last clear(), sorted: feeds the kind filter.
    QStringList kinds() const;

signals:
    void kindsChanged();

private:
    std::deque<sim::Event> events_;
    std::set<std::string> kinds_;
    std::size_t capacity_;
    std::uint64_t dropped_ = 0;
};

} // namespace brokerlab::ui
