#pragma once
// One partition's records as a table, one row per offset from the first offset the store holds to
// the last (a 10,000,000-record partition is 10,000,000 rows). Rows are fetched in pages of 256 off
// the GUI thread, from the explorer's read-only store connection, when a view asks for them; until a
// page arrives its cells read "…". A handful of pages stay cached. Offsets the log no longer has
// (compaction removed them) read as such rather than shifting every row after them.

#include "storemailbox.h"
#include "store/storetypes.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace brokerlab::store {
class StoreWorker;
}

namespace brokerlab::ui {

class MessageModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Offset, Timestamp, Key, Value, Headers, Size, Replicas, Committed, ColumnCount };
    static constexpr std::int64_t kPageSize = 256;
    static constexpr std::size_t kCachedPages = 64;

    explicit MessageModel(QObject* parent = nullptr);
    ~MessageModel() override;

    // Shows `topic`/`partition`, offsets firstOffset..lastOffset (-1, -1: none), read through `reader`.
    void setPartition(std::shared_ptr<store::StoreWorker> reader, const std::string& topic, std::int32_t partition,
        std::int64_t firstOffset, std::int64_t lastOffset);
    void clear();
    // The store gained records (live tail) or lost its oldest (retention): new bounds, rows added at
    // the end or removed at the start, without resetting the view.
    void updateBounds(std::int64_t firstOffset, std::int64_t lastOffset);
    // Which replicas hold an offset: those whose log end offset is past it (from the live snapshot).
    void setReplicaEnds(std::vector<std::pair<std::int32_t, std::int64_t>> replicaEnds);

    const std::string& topic() const { return topic_; }
    std::int32_t partition() const { return partition_; }
    std::int64_t firstOffset() const { return first_; }
    std::int64_t lastOffset() const { return last_; }
    // The row of `offset`, clamped into the partition; -1 when it holds nothing.
    int rowOfOffset(std::int64_t offset) const;
    std::int64_t offsetOfRow(int row) const { return first_ + row; }
    // The record at `row` when its page has arrived (nullptr while it loads or when compacted away).
    const store::StoredRecord* record(int row) const;
    bool isLoaded(int row) const;
    // Starts loading the page of `row` (a jump selects a row before any view has painted it).
    void fetch(int row) const;
    // Pages asked for and not yet answered (tests, the benchmark).
    int pendingPages() const { return int(pending_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void pageLoaded(std::int64_t firstOffset, std::int64_t lastOffset);

private:
    struct Page {
        std::map<std::int64_t, store::StoredRecord> records; // by offset
    };
    void request(std::int64_t page) const;
    void receive(quint64 generation, std::int64_t page, std::vector<store::StoredRecord> records);

    std::shared_ptr<store::StoreWorker> reader_;
    StoreMailboxPtr mailbox_;
    std::string topic_;
    std::int32_t partition_ = 0;
    std::int64_t first_ = -1;
    std::int64_t last_ = -1;
    quint64 generation_ = 0; // bumped by every setPartition(): older pages are stale
    std::vector<std::pair<std::int32_t, std::int64_t>> replicaEnds_;
    // data() is const but fills the cache: a view asking is what makes a page load.
    mutable std::map<std::int64_t, Page> pages_;
    mutable std::list<std::int64_t> recent_; // most recently used page first
    mutable std::set<std::int64_t> pending_;
};

} // namespace brokerlab::ui
