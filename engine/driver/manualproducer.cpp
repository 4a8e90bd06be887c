#include "driver/manualproducer.h"

#include "cluster/controller.h"

#include <algorithm>

namespace brokerlab::driver {

namespace {
// Kafka's send() blocks this long for metadata or buffer memory, then fails the record.
constexpr std::int64_t kMaxBlockMs = 60000;
} // namespace

struct ManualProducer::Job {
    std::uint64_t id = 0;
    ManualSendOptions options;
    std::vector<ManualRecord> records;
    ManualListener listener;
    std::size_t producer = 0;
    std::size_t next = 0; // the first record not yet handed to the producer
    std::size_t outstanding = 0; // handed over, fate not yet known
    sim::SimTime blockedSince = sim::kNever; // send() has refused since then
};

ManualProducer::ManualProducer(cluster::Cluster& cluster, std::uint64_t seed) : cluster_(cluster), seed_(seed) { }

ManualProducer::~ManualProducer() = default;

client::Producer& ManualProducer::producerFor(const ManualSendOptions& options)
{
    const std::pair<std::int16_t, bool> key { options.acks, options.retry };
    for (std::size_t i = 0; i < producerKeys_.size(); ++i)
        if (producerKeys_[i] == key)
            return *producers_[i];
    client::ProducerConfig config;
    config.clientId = "explorer-producer" + std::string(options.retry ? "" : "-once")
        + (options.acks == -1 ? "" : "-acks" + std::to_string(options.acks));
    config.acks = options.acks;
    if (!options.retry) {
        config.retries = 0;
        config.enableIdempotence = false; // Kafka refuses idempotence without retries
    }
    auto producer = std::make_unique<client::Producer>(cluster_, config, seed_ + producers_.size());
    const std::size_t index = producers_.size();
    producer->setRecordIdTracking(true);
    producer->setDeliveryListener([this, index](const client::DeliveryReport& report) { onDelivery(index, report); });
    producer->start();
    producers_.push_back(std::move(producer));
    producerKeys_.push_back(key);
    nextRecordId_.push_back(0);
    runs_.emplace_back();
    return *producers_.back();
}

std::uint64_t ManualProducer::send(
    const ManualSendOptions& options, std::vector<ManualRecord> records, ManualListener listener, std::string* error)
{
    auto fail = [error](std::string why) -> std::uint64_t {
        if (error)
            *error = std::move(why);
        return 0;
    };
    const cluster::TopicInfo* topic = cluster_.controller().image().topic(options.topic);
    if (!topic)
        return fail("UNKNOWN_TOPIC_OR_PARTITION: topic '" + options.topic + "' does not exist");
    const auto partitions = static_cast<std::int32_t>(topic->partitions.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& partition = records[i].partition;
        if (partition && (*partition < 0 || *partition >= partitions))
            return fail("UNKNOWN_TOPIC_OR_PARTITION: topic '" + options.topic + "' has partitions 0.."
                + std::to_string(partitions - 1) + ", not " + std::to_string(*partition)
                + (records.size() > 1 ? " (record " + std::to_string(i + 1) + ")" : ""));
    }
    if (options.acks != 0 && options.acks != 1 && options.acks != -1)
        return fail("acks must be 0, 1 or -1 (all), not " + std::to_string(options.acks));
    producerFor(options);
    auto job = std::make_unique<Job>();
    job->id = nextJob_++;
    job->options = options;
    job->records = std::move(records);
    job->listener = std::move(listener);
    const std::pair<std::int16_t, bool> key { options.acks, options.retry };
    job->producer = std::size_t(std::find(producerKeys_.begin(), producerKeys_.end(), key) - producerKeys_.begin());
    const std::uint64_t id = job->id;
    jobs_.emplace(id, std::move(job));
    pump();
    finishIfDone(id);
    return id;
}

bool ManualProducer::cancel(std::uint64_t id)
{
    const auto found = jobs_.find(id);
    if (found == jobs_.end())
        return false;
    Job& job = *found->second;
    if (job.next < job.records.size()) {
        ManualDelivery dropped;
        dropped.firstIndex = job.next;
        dropped.count = job.records.size() - job.next;
        dropped.cancelled = true;
        job.next = job.records.size();
        job.records.clear(); // the memory goes now; indexes stay meaningful through `next`
        job.records.shrink_to_fit();
        if (job.listener)
            job.listener(dropped);
    }
    finishIfDone(id);
    return true;
}

bool ManualProducer::idle() const
{
    return jobs_.empty() && std::all_of(producers_.begin(), producers_.end(), [](const auto& p) { return p->idle(); });
}

void ManualProducer::pump()
{
    // A delivery can be reported from inside send() (acks=0, or a refused connection): it then asks for
    // another pass instead of changing jobs_ under this loop.
    if (pumping_) {
        repump_ = true;
        return;
    }
    pumping_ = true;
    bool waiting = false;
    std::vector<std::uint64_t> expired;
    do {
        repump_ = false;
        waiting = false;
        expired.clear();
        const sim::SimTime now = cluster_.context().now();
        for (auto& [id, jobPointer] : jobs_) {
            Job& job = *jobPointer;
            const std::size_t before = job.next;
            while (job.next < job.records.size() && handOver(id, job)) { }
            if (job.next < job.records.size()) {
                if (job.next != before || job.blockedSince == sim::kNever)
                    job.blockedSince = now;
                if (now - job.blockedSince >= kMaxBlockMs * sim::kMicrosPerMs)
                    expired.push_back(id);
                else
                    waiting = true;
            } else {
                job.blockedSince = sim::kNever;
            }
        }
        for (std::uint64_t id : expired) {
            Job& job = *jobs_.at(id);
            ManualDelivery timedOut;
            timedOut.firstIndex = job.next;
            timedOut.count = job.records.size() - job.next;
            timedOut.error = protocol::ErrorCode::REQUEST_TIMED_OUT;
            timedOut.message = "the topic's metadata or buffer memory was not available within max.block.ms ("
                + std::to_string(kMaxBlockMs) + " ms)";
            job.next = job.records.size();
            if (job.listener)
                job.listener(timedOut);
        }
    } while (repump_);
    pumping_ = false;
    std::vector<std::uint64_t> ids;
    for (const auto& [id, job] : jobs_)
        ids.push_back(id);
    for (std::uint64_t id : ids)
        finishIfDone(id);
    if (waiting && !pumpScheduled_) {
        // send() refused (metadata not there yet, or buffer.memory full): try again after retry.backoff.ms,
        // as an application blocked in send() would resume.
        pumpScheduled_ = true;
        cluster_.context().scheduler.scheduleAfter(100 * sim::kMicrosPerMs, [this] {
            pumpScheduled_ = false;
            pump();
        });
    }
}

bool ManualProducer::handOver(std::uint64_t id, Job& job)
{
    client::Producer& producer = *producers_[job.producer];
    std::map<std::int64_t, Run>& runs = runs_[job.producer];
    const ManualRecord& record = job.records[job.next];
    // The producer numbers records 0, 1, ... as it accepts them. The run is written before send(), which may
    // already report the record's fate, and taken back if send() refuses.
    const std::int64_t recordId = nextRecordId_[job.producer];
    auto last = runs.empty() ? runs.end() : std::prev(runs.end());
    const bool extends = last != runs.end() && last->second.job == id
        && last->first + std::int64_t(last->second.count) == recordId
        && last->second.firstIndex + last->second.count == job.next;
    if (extends)
        ++last->second.count;
    else
        last = runs.emplace(recordId, Run { id, job.next, 1, 0 }).first;
    const std::size_t index = job.next++;
    ++job.outstanding;
    if (!producer.send(job.options.topic, record.partition, record.key ? &*record.key : nullptr,
            record.value ? &*record.value : nullptr, record.headers, record.timestampMs)) {
        if (--last->second.count == 0)
            runs.erase(last);
        job.next = index;
        --job.outstanding;
        return false;
    }
    ++nextRecordId_[job.producer];
    return true;
}

void ManualProducer::onDelivery(std::size_t producer, const client::DeliveryReport& report)
{
    if (!report.recordIds)
        return;
    std::map<std::int64_t, Run>& runs = runs_[producer];
    const std::vector<std::int64_t>& ids = *report.recordIds;
    std::vector<std::uint64_t> touched;
    std::size_t i = 0;
    while (i < ids.size()) {
        auto run = runs.upper_bound(ids[i]);
        if (run == runs.begin())
            return; // not ours: cannot happen, every record of these producers comes from a job
        --run;
        Run& owner = run->second;
        // Records of the batch that continue this run one by one.
        std::size_t count = 1;
        while (i + count < ids.size() && ids[i + count] == ids[i] + std::int64_t(count)
            && ids[i + count] < run->first + std::int64_t(owner.count))
            ++count;
        ManualDelivery delivery;
        delivery.firstIndex = owner.firstIndex + std::size_t(ids[i] - run->first);
        delivery.count = count;
        delivery.partition = report.topicPartition.partition;
        delivery.baseOffset = report.baseOffset >= 0 ? report.baseOffset + std::int64_t(i) : -1;
        delivery.error = report.error;
        delivery.message = report.errorMessage;
        const std::uint64_t jobId = owner.job;
        owner.delivered += count;
        if (owner.delivered == owner.count)
            runs.erase(run);
        if (const auto job = jobs_.find(jobId); job != jobs_.end()) {
            job->second->outstanding -= count;
            if (job->second->listener)
                job->second->listener(delivery);
            touched.push_back(jobId);
        }
        i += count;
    }
    for (std::uint64_t id : touched)
        finishIfDone(id);
    pump(); // memory was freed
}

void ManualProducer::finishIfDone(std::uint64_t id)
{
    if (pumping_)
        return; // pump() sweeps finished jobs when its loop ends
    const auto found = jobs_.find(id);
    if (found != jobs_.end() && found->second->next >= found->second->records.size() && found->second->outstanding == 0)
        jobs_.erase(found);
}

} // namespace brokerlab::driver
