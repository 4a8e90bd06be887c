#pragma once
// The message explorer: topics and partitions on the left, one partition's records in the middle
// (virtualized, paged off the GUI thread), the search box above and its streaming results, and the
// selected record's detail below. It reads the workspace the WorkspaceController has open.

#include "simulationsession.h"
#include "storemailbox.h"
#include "store/storetypes.h"
#include "store/workspace.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace brokerlab::store {
struct SearchChunk;
struct SearchSummary;
class StoreWorker;
}

namespace brokerlab::ui {

class MessageModel;
class RecordDetail;
class SearchResultsModel;
class WorkspaceController;

class ExplorerPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerPanel(WorkspaceController* workspace, QWidget* parent = nullptr);
    ~ExplorerPanel() override;

    MessageModel* messageModel() const { return messages_; }
    SearchResultsModel* resultsModel() const { return results_; }
    QTableView* messageView() const { return messageView_; }
    QTableView* resultsView() const { return resultsView_; }
    QTreeWidget* partitionTree() const { return partitions_; }
    QLineEdit* searchField() const { return search_; }
    QLabel* searchStatus() const { return searchStatus_; }
    RecordDetail* detail() const { return detail_; }

    // Shows `topic`/`partition` in the browser (once the workspace's bounds list it).
    void showPartition(const QString& topic, int partition);
    void jumpToOffset(std::int64_t offset);
    void jumpToTime(std::int64_t timestampMs);
    void jumpToNewest();
    void setLiveTail(bool on);
    void startSearch(const QString& text);
    void cancelSearch();
    // Opens a search hit in the browser: its partition, scrolled to and selecting its offset.
    void openResult(int row);
    // Re-reads the partition list and bounds now (the timer does it every second).
    void refresh();
    void setSnapshot(const SnapshotPtr& snapshot);

    void exportTopicInteractive();
    void exportResultsInteractive();

signals:
    void partitionsRefreshed();
    void searchDone(const brokerlab::store::SearchSummary& summary);

private:
    void onWorkspaceChanged();
    void onBounds(std::vector<store::PartitionBounds> bounds);
    void onPartitionSelected();
    void onRecordSelected();
    void onSearchChunk(const store::SearchChunk& chunk);
    void onSearchFinished(const store::SearchSummary& summary);
    void onIndexStatus(const store::IndexStatus& status);
    void updateReplicaEnds();
    void selectOffset(std::int64_t offset);
    QTreeWidgetItem* partitionItem(const QString& topic, int partition) const;

    WorkspaceController* workspace_;
    StoreMailboxPtr mailbox_;
    std::shared_ptr<store::StoreWorker> writer_;
    std::shared_ptr<store::StoreWorker> reader_;
    MessageModel* messages_;
    SearchResultsModel* results_;
    QTreeWidget* partitions_;
    QTableView* messageView_;
    QTableView* resultsView_;
    QTabWidget* views_;
    RecordDetail* detail_;
    QLineEdit* search_;
    QPushButton* searchButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* searchStatus_;
    QLabel* lag_;
    QLabel* fileLabel_;
    QLineEdit* jumpOffset_;
    QLineEdit* jumpTime_;
    QCheckBox* tail_;
    QTimer* refreshTimer_;
    quint64 searchId_ = 0;
    bool refreshing_ = false;
    std::int64_t pendingJump_ = -1; // an offset to select once its partition is shown
    SnapshotPtr snapshot_;
};

} // namespace brokerlab::ui
