// The scenario's stream processors and modelled queues: Kafka clients that consume and produce in one
// application, and queues that are not Kafka at all, fed by a producer's workload for comparison.

#include "driver/engine.h"

namespace brokerlab::driver {

void Engine::createProcessorsAndQueues()
{
    for (const scenario::ProcessorSpec& spec : scenario_.processors) {
        client::StreamProcessorPlan plan = spec.plan;
        plan.start = sim::fromMs(static_cast<double>(spec.startMs));
        plan.stop = spec.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(spec.stopMs));
        processors_.push_back(std::make_unique<client::StreamProcessor>(
            *cluster_, spec.consumerConfig, spec.producerConfig, rng_.next(), std::move(plan)));
        processors_.back()->start();
    }
    // A producer has one workload listener: it feeds every queue that names it.
    std::vector<std::vector<client::ModelledQueue*>> fed(producers_.size());
    for (const scenario::QueueSpec& spec : scenario_.queues) {
        queues_.push_back(
            std::make_unique<client::ModelledQueue>(scheduler_, trace_, spec.id, spec.kind, spec.visibilityTimeoutMs));
        client::ModelledQueue& queue = *queues_.back();
        for (const scenario::QueueSubscriberSpec& subscriber : spec.subscribers) {
            queue.addSubscriber({ .id = subscriber.id,
                .start = sim::fromMs(static_cast<double>(subscriber.startMs)),
                .stop = subscriber.stopMs < 0 ? sim::kNever : sim::fromMs(static_cast<double>(subscriber.stopMs)),
                .pollIntervalMs = subscriber.pollIntervalMs,
                .processingMsPerRecord = subscriber.processingMsPerRecord,
                .prefetch = subscriber.prefetch,
                .acks = subscriber.acks });
        }
        for (std::size_t i = 0; i < scenario_.producers.size() && i < producers_.size(); ++i) {
            if (scenario_.producers[i].id == spec.source)
                fed[i].push_back(&queue);
        }
    }
    for (std::size_t i = 0; i < fed.size(); ++i) {
        if (fed[i].empty())
            continue;
        producers_[i]->setWorkloadListener([queues = fed[i]](const client::GeneratedRecord&) {
            for (client::ModelledQueue* queue : queues)
                queue->enqueue();
        });
    }
}

void Engine::describeProcessorsAndQueues(Snapshot& snapshot) const
{
    const sim::SimTime now = scheduler_.now();
    for (std::size_t i = 0; i < processors_.size(); ++i) {
        const client::StreamProcessor& processor = *processors_[i];
        const client::Consumer& consumer = processor.consumer();
        ProcessorSnapshot entry { .id = scenario_.processors.at(i).id,
            .groupId = consumer.config().groupId,
            .clientId = consumer.clientId(),
            .plan = processor.plan(),
            .counters = processor.counters() };
        const std::vector<client::PartitionPosition> positions = consumer.positions();
        for (const client::PartitionPosition& position : positions) {
            if (position.lag() >= 0)
                entry.lag = std::max<std::int64_t>(entry.lag, 0) + position.lag();
        }
        if (const client::ConsumerCoordinator* member = consumer.groupMember())
            entry.memberState = std::string(client::memberStateName(member->state()));
        entry.started = now >= processor.plan().start;
        entry.stopped = now >= processor.plan().stop;
        snapshot.processors.push_back(std::move(entry));
    }
    for (std::size_t i = 0; i < queues_.size(); ++i) {
        const client::ModelledQueue& queue = *queues_[i];
        snapshot.queues.push_back({ .id = queue.id(),
            .kind = queue.kind(),
            .source = scenario_.queues.at(i).source,
            .visibilityTimeoutMs = queue.visibilityTimeoutMs(),
            .counters = queue.counters(),
            .depth = queue.depth(),
            .inFlight = queue.inFlight(),
            .subscribers = queue.subscribers() });
    }
}

} // namespace brokerlab::driver
