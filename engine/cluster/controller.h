#pragma once
// The controller (KRaft-style): owns the metadata image and decides topic creation, replica
// placement, broker fencing, ISR changes and leader elections. It lives on its own network node,
// so brokers reach it (heartbeats, AlterPartition, controlled shutdown) over the simulated network
// and a broker cut off from it is fenced, as in Kafka.

#include "cluster/context.h"
#include "cluster/metadata.h"
#include "protocol/errors.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace brokerlab::cluster {

inline constexpr sim::NodeId kControllerNode = 0;

struct CreateTopicResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;
};

struct AlterPartitionRequest {
    std::int32_t brokerId = 0; // the leader asking
    std::string topic;
    std::int32_t partition = 0;
    std::int32_t leaderEpoch = 0;
    std::int32_t partitionEpoch = 0;
    std::vector<std::int32_t> newIsr;
};

struct HeartbeatResponse {
    bool fenced = false;
    bool shutdownAllowed = false; // controlled shutdown: leadership has moved away
};

struct ControllerCounters {
    std::int64_t elections = 0;
    std::int64_t uncleanElections = 0;
    std::int64_t isrChanges = 0;
    std::int64_t fencings = 0;
};

class Controller {
public:
    using Publisher = std::function<void(std::shared_ptr<const MetadataImage>)>;

    Controller(Context& context, BrokerConfig brokerConfig);

    const MetadataImage& image() const { return *image_; }
    std::shared_ptr<const MetadataImage> imagePointer() const { return image_; }
    const BrokerConfig& brokerConfig() const { return brokerConfig_; }
    const ControllerCounters& counters() const { return counters_; }
    void setPublisher(Publisher publisher) { publisher_ = std::move(publisher); }
    // Virtual ms each partition has spent without a leader ("topic-partition" -> ms).
    std::map<std::string, std::int64_t> offlineMs() const;

    // Starts the session-timeout checks.
    void start();

    void registerBroker(std::int32_t id, std::string rack);
    // Heartbeat from a broker (already delivered to the controller's node).
    // `incarnation` identifies the broker process: a new one means the broker restarted, and the
    // controller fences the old registration first (its leaderships move, it leaves the ISRs)
    // before the new one is unfenced, as KRaft does when a broker re-registers.
    HeartbeatResponse onHeartbeat(std::int32_t brokerId, bool wantShutdown, std::uint64_t incarnation);
    // AlterPartition: a leader's ISR change, accepted only for the current leader and epochs.
    protocol::ErrorCode onAlterPartition(const AlterPartitionRequest& request);

    // Validates like Kafka's CreateTopics. An explicit assignment skips placement.
    CreateTopicResult createTopic(const std::string& name, std::int32_t partitions, std::int32_t replicationFactor,
        const TopicConfig& config, const std::vector<std::vector<std::int32_t>>& assignment = {});
    protocol::ErrorCode deleteTopic(const std::string& name);
    // Fences a broker at once (used by faults that kill the controller's view of a broker).
    void fenceBroker(std::int32_t id, const std::string& reason);

    static std::optional<std::string> invalidTopicNameReason(const std::string& name);

private:
    struct BrokerSession {
        sim::SimTime lastHeartbeat = 0;
        bool wantsShutdown = false;
        std::uint64_t incarnation = 0;
    };

    MetadataImage& mutableImage();
    void publish();
    void checkSessions();
    void scheduleImbalanceCheck();
    void unfenceBroker(std::int32_t id);
    // Re-elects leaders for partitions whose leader is not an online broker; removes `without`
    // from ISRs (a fenced or shutting-down broker) unless it is the last member.
    void electLeaders(std::int32_t without, const std::string& reason);
    bool brokerOnline(std::int32_t id) const;
    void noteLeaderChange(const std::string& topic, PartitionInfo& partition, std::int32_t newLeader, bool unclean,
        const std::string& reason);
    void trackOffline(const std::string& topic, const PartitionInfo& partition);

    Context& context_;
    BrokerConfig brokerConfig_;
    std::shared_ptr<MetadataImage> image_;
    Publisher publisher_;
    std::map<std::int32_t, BrokerSession> sessions_;
    ControllerCounters counters_;
    std::map<std::string, sim::SimTime> offlineSince_;
    std::map<std::string, sim::SimTime> offlineTotal_;
};

} // namespace brokerlab::cluster
