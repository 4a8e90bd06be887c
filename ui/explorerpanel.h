#pragma once
// The message explorer: topics and partitions on the left, one partition's records in the middle
// (virtualized, paged off the GUI thread), the search box above and its streaming results, and the
// selected record's detail below. It reads the workspace the WorkspaceController has open.

#include "simulationsession.h"
#include "store/storetypes.h"
#include "store/workspace.h"
#include "storemailbox.h"

#include <QPointer>
#include <QWidget>

#include <atomic>
#include <memory>
#include <thread>

class QAction;
class QCheckBox;
class QComboBox;
class QHBoxLayout;
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

class ChronologicalModel;
class MessageModel;
class OnScreenWatch;
class ProduceDialog;
class RecordDetail;
class SavedSearchesModel;
class SearchResultsModel;
class SimulationSession;
class WorkspaceController;

// How Import JSON Lines writes a file's records into a topic.
struct ImportOptions {
    QString topic; // the target: any topic of the running cluster
    bool keepPartitions = true; // the line's "partition" when it has one; otherwise by key
    bool keepTimestamps = false; // the line's "timestamp" as CreateTime; otherwise the producer's clock
};

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
    ChronologicalModel* chronologicalModel() const { return chrono_; }
    QTableView* chronologicalView() const { return chronoView_; }
    QLineEdit* chronologicalFrom() const { return chronoFrom_; }
    SavedSearchesModel* savedSearchesModel() const { return saved_; }
    QComboBox* savedSearchBox() const { return savedBox_; }
    QAction* produceAction() const { return produceAction_; }
    QAction* republishAction() const { return republishAction_; }
    QAction* importAction() const { return importAction_; }
    QTabWidget* viewTabs() const { return views_; }

    // The running simulation that Produce, Re-publish and Import write to (none: they are disabled).
    void setSession(SimulationSession* session);

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

    // Produce and Re-publish (explorertools.cpp): the dialog, empty or filled from a record.
    ProduceDialog* openProduceDialog();
    ProduceDialog* republish(const store::StoredRecord& record);
    void republishSelected(); // the record selected in the current view
    // Import JSON Lines: reads and checks the whole file off the GUI thread, then sends its records
    // through a producer. A bad line stops it before anything is sent. importFinished() tells the end.
    void importInteractive();
    void importFile(const QString& path, const ImportOptions& options);
    void cancelImport();
    bool importRunning() const { return import_ != nullptr; }

    // Saved searches, kept in the workspace file.
    void saveCurrentSearch(const QString& name);
    void runSavedSearch(int row);
    void deleteSavedSearch(int row);

    // The chronological view over the partitions ticked in the list, from `fromMs`.
    void updateChronological();

signals:
    void partitionsRefreshed();
    void searchDone(const brokerlab::store::SearchSummary& summary);
    void importFinished(bool ok, const QString& message);
    void savedSearchesChanged();

private:
    bool refusedAsWorkspace(const QString& path); // says so when an export would replace a workspace
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
    void buildChronologicalTab();
    void buildSavedSearches(QHBoxLayout* searchRow);
    void buildActions();
    void loadSavedSearches(const QString& select = {}); // and choose `select` in the list
    void updateActions();
    struct ImportRun;
    void onImportParsed(const std::shared_ptr<ImportRun>& run, std::vector<driver::ManualRecord> records,
        const QString& error, bool cancelled);
    void finishImport(bool ok, const QString& message);

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
    OnScreenWatch* onScreen_; // behind the Cluster tab the list is not refreshed; it is when the tab is back
    quint64 searchId_ = 0;
    bool refreshing_ = false;
    bool refreshOwed_ = false; // a timed refresh skipped while the panel was off screen
    std::int64_t pendingJump_ = -1; // an offset to select once its partition is shown
    SnapshotPtr snapshot_;
    QPointer<SimulationSession> session_;
    ChronologicalModel* chrono_ = nullptr;
    QTableView* chronoView_ = nullptr;
    QLineEdit* chronoFrom_ = nullptr;
    // Coalesces the list's itemChanged signals (one per item on each refresh) into one updateChronological().
    QTimer* chronoUpdate_ = nullptr;
    QLabel* chronoStatus_ = nullptr;
    SavedSearchesModel* saved_ = nullptr;
    QComboBox* savedBox_ = nullptr;
    QAction* produceAction_ = nullptr;
    QAction* republishAction_ = nullptr;
    QAction* importAction_ = nullptr;
    std::shared_ptr<ImportRun> import_; // the import under way
    std::thread importReader_; // reads and checks the file; joined before the next import and at exit
};

} // namespace brokerlab::ui
