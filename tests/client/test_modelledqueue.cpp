// The modelled queues of lesson 25: an acknowledged message is gone (RabbitMQ-style), an
// unacknowledged one comes back (on channel close, or after an SQS visibility timeout), and a
// subscriber that starts late gets only what is still in the queue.

#include "client/modelledqueue.h"

#include <QTest>

using namespace brokerlab;
using client::ModelledQueue;
using client::QueueKind;

namespace {

constexpr sim::SimTime ms(double value) { return sim::fromMs(value); }

// Publishes `count` messages, one every `everyMs`, from virtual time 0.
void publish(sim::Scheduler& scheduler, ModelledQueue& queue, int count, double everyMs)
{
    for (int i = 0; i < count; ++i)
        scheduler.scheduleAt(ms(everyMs * i), [&queue] { queue.enqueue(); });
}

// Adds up the `messages` of every event of one kind.
void countMessages(sim::Trace& trace, std::string kind, std::int64_t& total)
{
    trace.setListener([kind = std::move(kind), &total](const sim::Event& event) {
        if (event.kind == kind)
            total += event.number("messages");
    });
}

const client::QueueSubscriberCounters& subscriber(
    const std::vector<client::QueueSubscriberCounters>& all, const std::string& id)
{
    for (const auto& entry : all) {
        if (entry.id == id)
            return entry;
    }
    qFatal("no subscriber %s", id.c_str());
}

} // namespace

class TestModelledQueue : public QObject {
    Q_OBJECT
private slots:
    void acknowledgedMessagesAreGoneForALateSubscriber()
    {
        sim::Scheduler scheduler;
        sim::Trace trace;
        ModelledQueue queue(scheduler, trace, "rabbit", QueueKind::DeleteOnAck, 0);
        publish(scheduler, queue, 100, 10);
        queue.addSubscriber({ .id = "worker", .processingMsPerRecord = 1 });
        queue.addSubscriber({ .id = "late", .start = ms(5000) });
        scheduler.runUntil(ms(10000));
        const auto subscribers = queue.subscribers();
        QCOMPARE(queue.counters().enqueued, std::int64_t(100));
        QCOMPARE(queue.counters().acked, std::int64_t(100));
        QCOMPARE(subscriber(subscribers, "worker").received, std::int64_t(100));
        QCOMPARE(subscriber(subscribers, "late").received, std::int64_t(0));
        QCOMPARE(queue.available(), std::int64_t(0));
        QCOMPARE(queue.counters().redelivered, std::int64_t(0));
    }

    void competingSubscribersShareTheMessages()
    {
        sim::Scheduler scheduler;
        sim::Trace trace;
        ModelledQueue queue(scheduler, trace, "rabbit", QueueKind::DeleteOnAck, 0);
        publish(scheduler, queue, 200, 1);
        queue.addSubscriber({ .id = "a", .processingMsPerRecord = 5, .prefetch = 1 });
        queue.addSubscriber({ .id = "b", .processingMsPerRecord = 5, .prefetch = 1 });
        scheduler.runUntil(ms(5000));
        const auto subscribers = queue.subscribers();
        QCOMPARE(subscriber(subscribers, "a").received + subscriber(subscribers, "b").received, std::int64_t(200));
        QVERIFY(subscriber(subscribers, "a").received > 50);
        QVERIFY(subscriber(subscribers, "b").received > 50);
    }

    void unackedMessagesAreRequeuedWhenTheChannelCloses()
    {
        sim::Scheduler scheduler;
        sim::Trace trace;
        std::int64_t requeued = 0;
        countMessages(trace, "queue.requeued", requeued);
        ModelledQueue queue(scheduler, trace, "rabbit", QueueKind::DeleteOnAck, 0);
        publish(scheduler, queue, 50, 10);
        // It holds at most its prefetch count of unacknowledged messages, then gets nothing more.
        queue.addSubscriber({ .id = "forgetful", .stop = ms(2000), .prefetch = 5, .acks = false });
        queue.addSubscriber({ .id = "worker", .start = ms(3000) });
        scheduler.runUntil(ms(1500));
        QCOMPARE(subscriber(queue.subscribers(), "forgetful").received, std::int64_t(5));
        QCOMPARE(queue.available(), std::int64_t(50));
        scheduler.runUntil(ms(10000));
        const auto subscribers = queue.subscribers();
        QCOMPARE(requeued, std::int64_t(5));
        QCOMPARE(subscriber(subscribers, "worker").received, std::int64_t(50));
        QCOMPARE(subscriber(subscribers, "worker").redelivered, std::int64_t(5));
        QCOMPARE(queue.counters().acked, std::int64_t(50));
        QCOMPARE(queue.available(), std::int64_t(0));
    }

    void visibilityTimeoutBringsUndeletedMessagesBack()
    {
        sim::Scheduler scheduler;
        sim::Trace trace;
        std::int64_t reappeared = 0;
        countMessages(trace, "queue.visibility_timeout", reappeared);
        ModelledQueue queue(scheduler, trace, "sqs", QueueKind::VisibilityTimeout, 2000);
        publish(scheduler, queue, 100, 10);
        queue.addSubscriber({ .id = "forgetful", .stop = ms(1000), .acks = false });
        queue.addSubscriber({ .id = "worker", .start = ms(1200) });
        scheduler.runUntil(ms(1900));
        // Received but not deleted: invisible to the worker, still in the queue.
        const std::int64_t hidden = subscriber(queue.subscribers(), "forgetful").received;
        QVERIFY(hidden > 0);
        QCOMPARE(queue.available(), std::int64_t(100 - subscriber(queue.subscribers(), "worker").received));
        // The GUI's depth and in-flight columns: waiting and visible, or hidden while a subscriber has them.
        QVERIFY(queue.inFlight() >= hidden);
        QCOMPARE(queue.depth() + queue.inFlight(), queue.available());
        scheduler.runUntil(ms(10000));
        const auto subscribers = queue.subscribers();
        QCOMPARE(reappeared, hidden);
        QCOMPARE(subscriber(subscribers, "worker").redelivered, hidden);
        QCOMPARE(queue.counters().acked, std::int64_t(100));
        QCOMPARE(queue.available(), std::int64_t(0));
        QCOMPARE(queue.depth(), std::int64_t(0));
        QCOMPARE(queue.inFlight(), std::int64_t(0));
    }

    void aSlowDeleteComesTooLate()
    {
        // Processing longer than the visibility timeout: the message is received again and processed
        // twice (SQS is at least once); the late delete of the first receipt does not count.
        sim::Scheduler scheduler;
        sim::Trace trace;
        ModelledQueue queue(scheduler, trace, "sqs", QueueKind::VisibilityTimeout, 1000);
        queue.enqueue();
        queue.addSubscriber({ .id = "slow", .processingMsPerRecord = 1500, .prefetch = 1 });
        queue.addSubscriber({ .id = "fast", .start = ms(500), .prefetch = 1 });
        scheduler.runUntil(ms(5000));
        const auto subscribers = queue.subscribers();
        QCOMPARE(queue.counters().delivered, std::int64_t(2));
        QCOMPARE(queue.counters().acked, std::int64_t(1));
        QCOMPARE(subscriber(subscribers, "slow").acked, std::int64_t(0));
        QCOMPARE(subscriber(subscribers, "fast").acked, std::int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestModelledQueue)
#include "test_modelledqueue.moc"
