#pragma once
// Message queues modelled beside Kafka, to compare a queue with a log (lesson 25). Not Kafka and not
// a broker: a queue in the engine's virtual time, fed by the same workload as a Kafka topic.
//
// - DeleteOnAck, as a RabbitMQ queue with manual acknowledgements: a message goes to one
//   subscriber, and its ack deletes it. A subscriber that stops with unacknowledged messages hands
//   them back (requeued at the head, flagged redelivered).
// - VisibilityTimeout, as an Amazon SQS queue: a received message is hidden for the visibility
//   timeout; deleting it (the ack) removes it, otherwise it becomes visible again and is received
//   once more.
//
// Either way a message read and acknowledged is gone: a subscriber that starts later gets only
// what is still in the queue, and nobody can read it again. Competing subscribers take messages in
// turn; there is no randomness.

#include "sim/scheduler.h"
#include "sim/trace.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::client {

enum class QueueKind { DeleteOnAck, VisibilityTimeout };
std::string_view queueKindName(QueueKind kind); // "delete_on_ack", "visibility_timeout"

struct QueueSubscriberPlan {
    std::string id;
    sim::SimTime start = 0;
    sim::SimTime stop = sim::kNever;
    std::int64_t pollIntervalMs = 100; // wait when the queue had nothing
    double processingMsPerRecord = 0;
    std::int32_t prefetch = 10; // messages taken at once (RabbitMQ's prefetch count, SQS's MaxNumberOfMessages)
    bool acks = true; // false: a faulty subscriber that processes but never acknowledges
};

struct QueueSubscriberCounters {
    std::string id;
    std::int64_t received = 0; // deliveries to this subscriber, repeats included
    std::int64_t acked = 0;
    std::int64_t redelivered = 0; // received messages that had been delivered before
};

struct QueueCounters {
    std::int64_t enqueued = 0;
    std::int64_t delivered = 0; // deliveries, repeats included
    std::int64_t acked = 0; // messages deleted by an acknowledgement
    std::int64_t redelivered = 0; // deliveries of a message that had been delivered before
};

class ModelledQueue {
public:
    ModelledQueue(
        sim::Scheduler& scheduler, sim::Trace& trace, std::string id, QueueKind kind, std::int64_t visibilityTimeoutMs);
    ~ModelledQueue();
    ModelledQueue(const ModelledQueue&) = delete;
    ModelledQueue& operator=(const ModelledQueue&) = delete;

    const std::string& id() const { return id_; }
    QueueKind kind() const { return kind_; }
    std::int64_t visibilityTimeoutMs() const { return visibilityTimeoutMs_; }
    // A message arrives now (publish / SendMessage).
    void enqueue();
    // The subscriber starts at plan.start and stops at plan.stop.
    void addSubscriber(QueueSubscriberPlan plan);

    const QueueCounters& counters() const { return counters_; }
    std::vector<QueueSubscriberCounters> subscribers() const;
    // Messages still in the queue, visible or not: all a subscriber starting now could ever get.
    std::int64_t available() const { return static_cast<std::int64_t>(ready_.size() + unacked_.size()); }
    std::int64_t depth() const { return static_cast<std::int64_t>(ready_.size()); } // visible, waiting
    std::int64_t inFlight() const { return static_cast<std::int64_t>(unacked_.size()); } // delivered, not acked

private:
    struct Message {
        std::int64_t sequence = 0;
        std::int32_t deliveries = 0;
    };
    struct Unacked {
        Message message;
        std::size_t subscriber = 0;
        std::uint64_t receipt = 0; // this delivery: an ack or timeout of an older one is ignored
    };
    struct Subscriber;

    void step(std::size_t subscriber);
    void finishBatch(std::size_t subscriber, std::vector<std::uint64_t> receipts);
    void leave(std::size_t subscriber);
    void expire(std::vector<std::uint64_t> receipts);
    void requeue(std::vector<Message> messages);
    void record(std::string kind, std::string_view client, std::int64_t messages, std::string message);

    sim::Scheduler& scheduler_;
    sim::Trace& trace_;
    std::string id_;
    QueueKind kind_;
    std::int64_t visibilityTimeoutMs_;
    std::deque<Message> ready_; // by sequence: redelivered messages go back to their place
    std::map<std::uint64_t, Unacked> unacked_; // by receipt
    std::vector<std::unique_ptr<Subscriber>> subscribers_;
    QueueCounters counters_;
    std::int64_t nextSequence_ = 0;
    std::uint64_t nextReceipt_ = 1;
};

} // namespace brokerlab::client
