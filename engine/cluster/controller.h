#pragma once
// The controller (KRaft-style): owns the metadata image and decides topic creation, replica
// placement, broker fencing, ISR changes and leader elections. It lives on its own network node,
// so brokers reach it (heartbeats, AlterPartition, controlled shutdown) over the simulated network
// and a broker cut off from it is fenced, as in Kafka.

#include "cluster/context.h"
#include "cluster/metadata.h"
#include "protocol/errors.h"

#include <climits>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
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

struct ControllerResult {
    protocol::ErrorCode error = protocol::ErrorCode::NONE;
    std::string message;
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

    // The quorum made this controller voter active: it loads `image` (its metadata log's end),
    // gives every broker a fresh session and starts its timers. deactivate() stops everything.
    void activate(std::int32_t voter, std::shared_ptr<const MetadataImage> image);
    void deactivate();
    bool active() const { return active_; }

    // A broker registers at time zero unfenced (the cluster formed before the scenario starts);
    // one added later is fenced until it has caught up with the metadata log.
    void registerBroker(std::int32_t id, std::string rack);
    // Heartbeat from a broker (already delivered to the controller's node).
    // `incarnation` identifies the broker process: a new one means the broker restarted, and the
    // controller fences the old registration first (its leaderships move, it leaves the ISRs)
    // and records a new broker epoch; it unfences the broker only once `metadataOffset` (what
    // the broker has applied) has reached that epoch, as KRaft does. `cleanShutdown` says
    // whether the previous process stopped by a controlled shutdown (KIP-966 keeps ELR
    // membership only then).
    HeartbeatResponse onHeartbeat(std::int32_t brokerId, bool wantShutdown, std::uint64_t incarnation,
        std::int64_t metadataOffset = INT64_MAX, bool cleanShutdown = true);
    // Decommission (UnregisterBroker): the broker leaves the metadata; its replicas stay in the
    // assignments (under-replicated) until they are reassigned, as in KRaft.
    ControllerResult unregisterBroker(std::int32_t id);
    // A broker that has never registered (it was added while no controller was active) does so
    // with its next heartbeat; an unregistered one does not come back.
    bool shouldRegister(std::int32_t id) const
    {
        return active_ && image_->brokers.count(id) == 0 && unregistered_.count(id) == 0;
    }
    // KIP-455 AlterPartitionReassignments for one partition.
    ControllerResult reassignPartition(const std::string& topic, std::int32_t partition, std::vector<std::int32_t> target);
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
    void checkSessions(std::uint64_t generation);
    void scheduleImbalanceCheck(std::uint64_t generation);
    void maybeCompleteReassignment(const std::string& topic, PartitionInfo& partition);
    void updateElr(const TopicInfo& topic, PartitionInfo& partition, const std::vector<std::int32_t>& removed);
    void unfenceBroker(std::int32_t id, std::int64_t metadataOffset);
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
    bool active_ = false;
    std::set<std::int32_t> unregistered_;
    std::uint64_t generation_ = 0; // timers of an earlier activation stop
};

} // namespace brokerlab::cluster
