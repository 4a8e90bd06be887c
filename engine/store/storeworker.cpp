#include "store/storeworker.h"

#include "driver/workerthread.h"

#include <QAtomicInteger>

#include <chrono>

namespace brokerlab::store {

namespace {
constexpr std::int64_t kIndexChunk = 20000; // records per background indexing transaction
constexpr auto kProgressInterval = std::chrono::milliseconds(100); // don't spam the progress bar

QString connectionName()
{
    // Each worker its own named connection, so several workspaces can be open at once.
    static QAtomicInteger<int> counter;
    return QStringLiteral("brokerlab-store-%1").arg(counter.fetchAndAddRelaxed(1));
}
} // namespace

StoreWorker::StoreWorker(QObject* parent) : QObject(parent), workspace_(connectionName().toStdString())
{
    qRegisterMetaType<SearchChunk>();
    qRegisterMetaType<SearchSummary>();
    qRegisterMetaType<IndexStatus>();
    thread_ = std::thread([this] {
        // Ingest, indexing and searches are background work: the GUI thread comes first on a busy machine.
        driver::setUpWorkerThread("brokerlab-store", 5);
        loop();
    });
}

StoreWorker::~StoreWorker()
{
    cancelSearch();
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void StoreWorker::post(std::function<void(Workspace&)> job)
{
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void StoreWorker::create(const QString& path)
{
    post([this, path](Workspace& workspace) {
        workspace.close();
        workspace.create(path.toStdString());
        emit opened(path);
    });
}

void StoreWorker::open(const QString& path)
{
    post([this, path](Workspace& workspace) {
        workspace.close();
        workspace.open(path.toStdString());
        emit opened(path);
        emit indexStatusChanged(workspace.indexStatus());
    });
}

void StoreWorker::openReader(const QString& path)
{
    post([this, path](Workspace& workspace) {
        workspace.close();
        workspace.openReader(path.toStdString());
        emit opened(path);
    });
}

void StoreWorker::close()
{
    post([](Workspace& workspace) { workspace.close(); });
}

void StoreWorker::ingest(IngestBatch batch)
{
    {
        // One locked step: the loop must never see the job done without the indexing that follows.
        std::lock_guard lock(mutex_);
        jobs_.push_back([batch = std::move(batch)](Workspace& workspace) { workspace.ingest(batch); });
        indexing_ = true;
    }
    wake_.notify_all();
}

quint64 StoreWorker::startSearch(const SearchQuery& query, qint64 limit)
{
    const quint64 id = ++latestSearch_;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(mutex_);
        if (searchStop_)
            searchStop_->store(true);
        searchStop_ = stop;
    }
    post([this, id, query, limit, stop](Workspace&) { runSearch(id, query, limit, stop); });
    return id;
}

void StoreWorker::cancelSearch()
{
    ++latestSearch_;
    std::lock_guard lock(mutex_);
    if (searchStop_)
        searchStop_->store(true);
}

void StoreWorker::runSearch(
    quint64 id, const SearchQuery& query, qint64 limit, const std::shared_ptr<std::atomic<bool>>& stop)
{
    SearchSummary summary;
    summary.requestId = id;
    if (id != latestSearch_.load() || stop->load()) {
        summary.outcome.cancelled = true;
        emit searchFinished(summary);
        return;
    }
    auto lastProgress = std::chrono::steady_clock::now() - kProgressInterval;
    try {
        summary.outcome = workspace_.search(
            query, limit, stop.get(), [&](std::vector<StoredRecord>&& hits, const SearchProgress& progress) {
                if (id != latestSearch_.load())
                    return false; // a newer search replaced this one
                const auto now = std::chrono::steady_clock::now();
                if (!hits.empty() || now - lastProgress >= kProgressInterval) {
                    lastProgress = now;
                    emit searchChunk(SearchChunk { id, std::move(hits), progress });
                }
                return true;
            });
    } catch (const StoreError& error) {
        summary.error = QString::fromStdString(error.what());
    }
    emit searchFinished(summary);
}

void StoreWorker::waitUntilIdle()
{
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return jobs_.empty() && !busy_ && !indexing_; });
}

void StoreWorker::loop()
{
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return quit_ || !jobs_.empty() || indexing_; });
        if (quit_)
            break;
        busy_ = true;
        if (!jobs_.empty()) {
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            try {
                job(workspace_);
            } catch (const StoreError& error) {
                emit failed(QString::fromStdString(error.what()));
            }
            lock.lock();
        } else {
            // Jobs first (a search waits for nothing); the index catches up between them.
            lock.unlock();
            bool more = false;
            try {
                more = workspace_.isOpen() && workspace_.indexPending(kIndexChunk) > 0;
                if (workspace_.isOpen())
                    emit indexStatusChanged(workspace_.indexStatus());
            } catch (const StoreError& error) {
                emit failed(QString::fromStdString(error.what()));
            }
            lock.lock();
            // Jobs queued meanwhile may be ingests: look again after them rather than stop here.
            indexing_ = more || !jobs_.empty();
        }
        busy_ = false;
        if (jobs_.empty() && !indexing_)
            idle_.notify_all();
    }
    lock.unlock();
    try {
        workspace_.close();
    } catch (const StoreError& error) {
        emit failed(QString::fromStdString(error.what()));
    }
}

} // namespace brokerlab::store
