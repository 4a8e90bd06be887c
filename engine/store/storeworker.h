#pragma once
// The store thread: owns one Workspace (its own named SQLite connection, WAL), runs jobs from a
// queue in order, indexes in the background between jobs, and runs searches whose results
// stream back by queued signals. Any thread may call the public functions.

#include "store/searchquery.h"
#include "store/storetypes.h"
#include "store/workspace.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace brokerlab::store {

struct SearchChunk {
    quint64 requestId = 0;
    std::vector<StoredRecord> hits; // newest first, continuing the previous chunk
    SearchProgress progress;
};

struct SearchSummary {
    quint64 requestId = 0;
    SearchOutcome outcome;
    QString error; // a bad topic or a store failure; empty when the search ran
};

class StoreWorker : public QObject {
    Q_OBJECT
public:
    explicit StoreWorker(QObject* parent = nullptr);
    ~StoreWorker() override;

    // Jobs run in the order posted, on the store thread. A StoreError thrown by a job is reported
    // by failed().
    void post(std::function<void(Workspace&)> job);
    void create(const QString& path);
    void open(const QString& path);
    // A second, read-only connection on a workspace another worker of this process opened
    // (Workspace::openReader): the browser's page reads never wait behind ingest or a search.
    void openReader(const QString& path);
    void close();
    void ingest(IngestBatch batch);

    // Starts a search and stops the one before; results carry the returned id, and anything with
    // an older id is stale. limit <= 0: every hit.
    quint64 startSearch(const SearchQuery& query, qint64 limit);
    void cancelSearch();

    // Blocks until every posted job has run and the index has caught up (tests, shutdown).
    void waitUntilIdle();

signals:
    void failed(const QString& message);
    void opened(const QString& path);
    void indexStatusChanged(const brokerlab::store::IndexStatus& status);
    void searchChunk(const brokerlab::store::SearchChunk& chunk);
    void searchFinished(const brokerlab::store::SearchSummary& summary);

private:
    void loop();
    void runSearch(quint64 id, const SearchQuery& query, qint64 limit, const std::shared_ptr<std::atomic<bool>>& stop);

    Workspace workspace_; // store thread only
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void(Workspace&)>> jobs_; // guarded by mutex_
    bool busy_ = false; // guarded by mutex_
    bool quit_ = false; // guarded by mutex_
    bool indexing_ = false; // guarded by mutex_: the index lags and background work remains
    std::atomic<quint64> latestSearch_ { 0 };
    std::shared_ptr<std::atomic<bool>> searchStop_; // guarded by mutex_
    std::thread thread_;
};

} // namespace brokerlab::store

Q_DECLARE_METATYPE(brokerlab::store::SearchChunk)
Q_DECLARE_METATYPE(brokerlab::store::SearchSummary)
Q_DECLARE_METATYPE(brokerlab::store::IndexStatus)
