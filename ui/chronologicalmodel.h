#pragma once
// The chronological view: the records of several partitions, of one or more topics, merged by
// timestamp (then topic, partition, offset), from a start time onwards. Rows arrive a page at a time
// from the explorer's read-only store thread when the view scrolls near the end (fetchMore), so a
// view over ten million records costs only the pages looked at; nothing is loaded in advance.

#include "searchresultsmodel.h"
#include "store/workspace.h"
#include "storemailbox.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace brokerlab::store {
class StoreWorker;
}

namespace brokerlab::ui {

class ChronologicalModel : public SearchResultsModel {
    Q_OBJECT
public:
    static constexpr std::int64_t kPageSize = 256;
    // The view stops growing here (memory); "from" a later time shows later records.
    static constexpr int kMaxRows = 200000;

    explicit ChronologicalModel(QObject* parent = nullptr);
    ~ChronologicalModel() override;

    // Shows `partitions` merged from `fromMs` (INT64_MIN: from the oldest record) and loads the first page.
    void setPartitions(std::shared_ptr<store::StoreWorker> reader,
        std::vector<std::pair<std::string, std::int32_t>> partitions, std::int64_t fromMs);
    const std::vector<std::pair<std::string, std::int32_t>>& partitions() const { return partitions_; }
    std::int64_t fromMs() const { return fromMs_; }
    bool isLoading() const { return loading_; }
    bool atEnd() const { return atEnd_; }
    // Records added to the store after the end was reached: look again when the view asks.
    void resumeAfterEnd() { atEnd_ = false; }

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void pageLoaded(int rows);

private:
    void receive(quint64 generation, std::vector<store::MergeCursor> cursors, std::vector<store::StoredRecord> rows);

    std::shared_ptr<store::StoreWorker> reader_;
    StoreMailboxPtr mailbox_;
    std::vector<std::pair<std::string, std::int32_t>> partitions_;
    std::int64_t fromMs_ = 0;
    std::optional<std::vector<store::MergeCursor>> cursors_; // none until the first page placed them
    quint64 generation_ = 0; // bumped by setPartitions(): older pages are stale
    bool loading_ = false;
    bool atEnd_ = true;
};

} // namespace brokerlab::ui
