#include "chronologicalmodel.h"

#include "store/storeworker.h"

#include <QThread>

namespace brokerlab::ui {

ChronologicalModel::ChronologicalModel(QObject* parent)
    : SearchResultsModel(parent)
    , mailbox_(std::make_shared<StoreMailbox>(this))
{
}

ChronologicalModel::~ChronologicalModel() { mailbox_->close(); }

void ChronologicalModel::setPartitions(std::shared_ptr<store::StoreWorker> reader,
    std::vector<std::pair<std::string, std::int32_t>> partitions, std::int64_t fromMs)
{
    clear();
    reader_ = std::move(reader);
    partitions_ = std::move(partitions);
    fromMs_ = fromMs;
    cursors_.reset();
    ++generation_;
    loading_ = false;
    atEnd_ = partitions_.empty() || !reader_;
    fetchMore({});
}

bool ChronologicalModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !atEnd_ && !loading_ && rowCount() < kMaxRows;
}

void ChronologicalModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    loading_ = true;
    reader_->post([mailbox = mailbox_, self = this, generation = generation_, partitions = partitions_,
                      fromMs = fromMs_, cursors = cursors_](store::Workspace& workspace) mutable {
        std::vector<store::StoredRecord> rows;
        std::vector<store::MergeCursor> placed;
        if (workspace.isOpen()) {
            placed = cursors ? std::move(*cursors) : workspace.mergeCursorsAt(partitions, fromMs);
            rows = workspace.readMerged(placed, kPageSize);
        }
        mailbox->deliver([self, generation, placed = std::move(placed), rows = std::move(rows)]() mutable {
            self->receive(generation, std::move(placed), std::move(rows));
        });
    });
}

void ChronologicalModel::receive(
    quint64 generation, std::vector<store::MergeCursor> cursors, std::vector<store::StoredRecord> rows)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != generation_)
        return;
    loading_ = false;
    cursors_ = std::move(cursors);
    atEnd_ = std::int64_t(rows.size()) < kPageSize;
    const int added = int(rows.size());
    append(std::move(rows));
    emit pageLoaded(added);
}

} // namespace brokerlab::ui
