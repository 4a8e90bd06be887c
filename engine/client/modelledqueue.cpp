#include "client/modelledqueue.h"

#include <algorithm>

namespace brokerlab::client {

struct ModelledQueue::Subscriber {
    QueueSubscriberPlan plan;
    QueueSubscriberCounters counters;
    bool left = false;
};

std::string_view queueKindName(QueueKind kind)
{
    return kind == QueueKind::DeleteOnAck ? "delete_on_ack" : "visibility_timeout";
}

ModelledQueue::ModelledQueue(
    sim::Scheduler& scheduler, sim::Trace& trace, std::string id, QueueKind kind, std::int64_t visibilityTimeoutMs)
    : scheduler_(scheduler)
    , trace_(trace)
    , id_(std::move(id))
    , kind_(kind)
    , visibilityTimeoutMs_(visibilityTimeoutMs)
{
}

ModelledQueue::~ModelledQueue() = default;

void ModelledQueue::enqueue()
{
    ready_.push_back({ .sequence = nextSequence_++, .deliveries = 0 });
    ++counters_.enqueued;
}

void ModelledQueue::addSubscriber(QueueSubscriberPlan plan)
{
    auto subscriber = std::make_unique<Subscriber>();
    subscriber->counters.id = plan.id;
    subscriber->plan = std::move(plan);
    const std::size_t index = subscribers_.size();
    const sim::SimTime start = std::max(subscriber->plan.start, scheduler_.now());
    const sim::SimTime stop = subscriber->plan.stop;
    subscribers_.push_back(std::move(subscriber));
    scheduler_.scheduleAt(start, [this, index] { step(index); });
    if (stop != sim::kNever)
        scheduler_.scheduleAt(stop, [this, index] { leave(index); });
}

std::vector<QueueSubscriberCounters> ModelledQueue::subscribers() const
{
    std::vector<QueueSubscriberCounters> result;
    for (const auto& subscriber : subscribers_)
        result.push_back(subscriber->counters);
    return result;
}

void ModelledQueue::step(std::size_t index)
{
    Subscriber& subscriber = *subscribers_[index];
    if (subscriber.left)
        return;
    std::int64_t room = subscriber.plan.prefetch;
    if (kind_ == QueueKind::DeleteOnAck) {
        // RabbitMQ delivers no more than the prefetch count of unacknowledged messages.
        for (const auto& [receipt, unacked] : unacked_)
            room -= unacked.subscriber == index ? 1 : 0;
    }
    std::vector<std::uint64_t> receipts;
    while (room-- > 0 && !ready_.empty()) {
        Message message = ready_.front();
        ready_.pop_front();
        ++counters_.delivered;
        ++subscriber.counters.received;
        if (message.deliveries++ > 0) {
            ++counters_.redelivered;
            ++subscriber.counters.redelivered;
        }
        const std::uint64_t receipt = nextReceipt_++;
        unacked_.emplace(receipt, Unacked { .message = message, .subscriber = index, .receipt = receipt });
        receipts.push_back(receipt);
    }
    if (receipts.empty()) {
        scheduler_.scheduleAfter(subscriber.plan.pollIntervalMs * sim::kMicrosPerMs, [this, index] { step(index); });
        return;
    }
    if (kind_ == QueueKind::VisibilityTimeout)
        scheduler_.scheduleAfter(visibilityTimeoutMs_ * sim::kMicrosPerMs, [this, receipts] { expire(receipts); });
    const auto processing = static_cast<sim::SimTime>(
        subscriber.plan.processingMsPerRecord * static_cast<double>(receipts.size()) * 1000.0);
    scheduler_.scheduleAfter(processing, [this, index, receipts] { finishBatch(index, receipts); });
}

void ModelledQueue::finishBatch(std::size_t index, std::vector<std::uint64_t> receipts)
{
    Subscriber& subscriber = *subscribers_[index];
    if (subscriber.left)
        return;
    if (subscriber.plan.acks) {
        for (std::uint64_t receipt : receipts) {
            // An SQS receipt whose visibility timeout passed is no longer valid: the message is
            // someone else's now.
            if (unacked_.erase(receipt) > 0) {
                ++counters_.acked;
                ++subscriber.counters.acked;
            }
        }
    }
    step(index);
}

void ModelledQueue::leave(std::size_t index)
{
    Subscriber& subscriber = *subscribers_[index];
    if (subscriber.left)
        return;
    subscriber.left = true;
    if (kind_ != QueueKind::DeleteOnAck)
        return; // SQS knows no subscribers: its messages come back when their visibility timeout ends
    std::vector<Message> returned;
    for (auto it = unacked_.begin(); it != unacked_.end();) {
        if (it->second.subscriber == index) {
            returned.push_back(it->second.message);
            it = unacked_.erase(it);
        } else {
            ++it;
        }
    }
    if (returned.empty())
        return;
    const auto count = static_cast<std::int64_t>(returned.size());
    requeue(std::move(returned));
    record("queue.requeued", subscriber.plan.id, count,
        "subscriber '" + subscriber.plan.id + "' of queue " + id_ + " closed its channel with " + std::to_string(count)
            + " unacknowledged messages: they go back to the head of the queue");
}

void ModelledQueue::expire(std::vector<std::uint64_t> receipts)
{
    std::vector<Message> visible;
    std::string client;
    for (std::uint64_t receipt : receipts) {
        auto it = unacked_.find(receipt);
        if (it == unacked_.end())
            continue;
        client = subscribers_[it->second.subscriber]->plan.id;
        visible.push_back(it->second.message);
        unacked_.erase(it);
    }
    if (visible.empty())
        return;
    const auto count = static_cast<std::int64_t>(visible.size());
    requeue(std::move(visible));
    record("queue.visibility_timeout", client, count,
        std::to_string(count) + " messages of queue " + id_ + " received by '" + client + "' were not deleted within "
            + std::to_string(visibilityTimeoutMs_) + " ms: they are visible again");
}

void ModelledQueue::requeue(std::vector<Message> messages)
{
    auto bySequence = [](const Message& a, const Message& b) { return a.sequence < b.sequence; };
    for (const Message& message : messages)
        ready_.insert(std::upper_bound(ready_.begin(), ready_.end(), message, bySequence), message);
}

void ModelledQueue::record(std::string kind, std::string_view client, std::int64_t messages, std::string message)
{
    trace_.record({ .time = scheduler_.now(),
        .kind = std::move(kind),
        .client = std::string(client),
        .numbers = { { "messages", messages } },
        .message = std::move(message) });
}

} // namespace brokerlab::client
