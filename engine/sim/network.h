#pragma once
// Simulated network between nodes (brokers, controllers, clients). Each ordered pair of nodes
// behaves like one TCP connection: messages arrive in the order they were sent, after the link's
// latency and jitter; packet loss costs retransmission timeouts (and, rarely, the connection); a
// cut link or a node that went down means the message never arrives and the sender finds out by
// timeout, as with a real broken connection.

#include "sim/function.h"
#include "sim/link.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace brokerlab::sim {

using NodeId = std::int32_t;

struct NetworkStats {
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0; // loss, cut links, nodes down
    std::uint64_t bytesSent = 0;
    std::uint64_t retransmissions = 0; // lost segments sent again
};

inline constexpr SimTime kMinRetransmissionTimeout = 200 * kMicrosPerMs; // Linux TCP_RTO_MIN
inline constexpr int kMaxRetransmissions = 6;

class Network {
public:
    Network(Scheduler& scheduler, Rng rng, LinkSpec defaultLink = {});

    const LinkSpec& defaultLink() const { return defaultLink_; }
    void setDefaultLink(const LinkSpec& link) { defaultLink_ = link; }
    // Overrides one direction of one link; clearLink restores the default.
    void setLink(NodeId from, NodeId to, const LinkSpec& link);
    void clearLink(NodeId from, NodeId to);
    LinkSpec link(NodeId from, NodeId to) const;

    // Cuts or restores the path from -> to (one direction); a partition between two sets of nodes
    // is a cut in both directions for every pair.
    void setCut(NodeId from, NodeId to, bool cut);
    bool isCut(NodeId from, NodeId to) const;
    void partition(const std::set<NodeId>& sideA, const std::set<NodeId>& sideB);
    void heal(); // removes every cut

    // A node that is down neither sends nor receives; bringing it back up gives it a new
    // incarnation, so messages addressed to the old one are dropped (connections were reset).
    void setNodeUp(NodeId node, bool up);
    bool isNodeUp(NodeId node) const;
    // A paused node (a process frozen by a stop signal or a long GC pause) is up but does not read
    // its sockets: messages to it wait, in order, and are delivered when it resumes.
    void setNodePaused(NodeId node, bool paused);
    bool isNodePaused(NodeId node) const { return !paused_.empty() && paused_.count(node) != 0; }
    std::uint64_t incarnation(NodeId node) const;

    // Sends `bytes` bytes; `deliver` runs at the receiver when the message arrives.
    // Returns false when the message is dropped at once (it may still be dropped on arrival).
    bool send(NodeId from, NodeId to, std::int64_t bytes, Scheduler::Callback deliver);

    const NetworkStats& stats() const { return stats_; }

private:
    SimTime transitTime(const LinkSpec& link, std::int64_t bytes);

    Scheduler& scheduler_;
    Rng rng_;
    LinkSpec defaultLink_;
    std::map<std::pair<NodeId, NodeId>, LinkSpec> links_;
    std::set<std::pair<NodeId, NodeId>> cuts_;
    std::map<NodeId, std::uint64_t> incarnations_; // absent = up, incarnation 0
    std::set<NodeId> down_;
    std::set<NodeId> paused_;
    std::map<NodeId, std::vector<Scheduler::Callback>> held_; // deliveries waiting for a paused node
    std::map<std::pair<NodeId, NodeId>, SimTime> lastArrival_; // keeps each connection FIFO
    NetworkStats stats_;
};

} // namespace brokerlab::sim
