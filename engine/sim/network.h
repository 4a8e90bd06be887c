#pragma once
// Simulated network between nodes (brokers, controllers, clients). Each ordered pair of nodes
// behaves like one TCP connection: messages arrive in the order they were sent, after the link's
// latency and jitter; packet loss costs retransmission timeouts (and, rarely, the connection); a
// cut link or a node that went down means the message never arrives. A sender waiting for an
// answer (an exchange) learns that the connection closed when the process at the other end dies,
// one link latency later, as a TCP peer sees FIN or RST; after a cut, a pause or a power loss it
// sees nothing and finds out by its request timeout.

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
using ExchangeId = std::uint64_t; // 0: no exchange

// How a node goes down. When a process dies (a crash, a kill, the end of a shutdown) its host's
// kernel closes its sockets, so every peer sees its connection close. A host that loses power
// sends nothing: its peers find out only by their timeouts.
enum class Departure { ProcessExit, PowerLoss };

struct NetworkStats {
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0; // loss, cut links, nodes down
    std::uint64_t bytesSent = 0;
    std::uint64_t retransmissions = 0; // lost segments sent again
    std::uint64_t connectionsClosed = 0; // peers told that a process at the other end died
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
    // Taking a node down settles the exchanges waiting on it as `departure` says (see openExchange).
    void setNodeUp(NodeId node, bool up, Departure departure = Departure::ProcessExit);
    bool isNodeUp(NodeId node) const;
    // A paused node (a process frozen by a stop signal or a long GC pause) is up but does not read
    // its sockets: messages to it wait, in order, and are delivered when it resumes.
    void setNodePaused(NodeId node, bool paused);
    bool isNodePaused(NodeId node) const { return !paused_.empty() && paused_.count(node) != 0; }
    std::uint64_t incarnation(NodeId node) const;

    // A request from `from` to `to` that waits for an answer: opened before the request is sent,
    // closed when the answer arrives (or is lost). If `to` goes down with Departure::ProcessExit
    // while it is open, `from` learns that the connection closed one link latency later (never
    // before anything `to` had sent it earlier would have arrived; that is lost with the process),
    // and `onClosed` runs at `from`, once per exchange, in the order they were opened. A power
    // loss, a pause or a cut tells nobody: the exchange is forgotten when its request or answer is
    // lost to a cut or to retransmissions, or its node loses power, and the sender finds out by
    // its timeout. A sender that gives up earlier must ignore a late `onClosed`.
    ExchangeId openExchange(NodeId from, NodeId to, Scheduler::Callback onClosed);
    void closeExchange(ExchangeId exchange);
    std::size_t openExchanges() const { return exchanges_.size(); }

    // Sends `bytes` bytes; `deliver` runs at the receiver when the message arrives. `exchange`
    // names the exchange the message belongs to (its request or its answer), if any.
    // Returns false when the message is dropped at once (it may still be dropped on arrival).
    bool send(NodeId from, NodeId to, std::int64_t bytes, Scheduler::Callback deliver, ExchangeId exchange = 0);

    const NetworkStats& stats() const { return stats_; }

private:
    struct Exchange {
        NodeId from = 0;
        NodeId to = 0;
        std::uint64_t toIncarnation = 0;
        Scheduler::Callback onClosed;
    };
    SimTime transitTime(const LinkSpec& link, std::int64_t bytes);
    void settleExchanges(NodeId node, Departure departure);
    void deliverClose(NodeId node, std::uint64_t nodeIncarnation, NodeId peer, std::uint64_t peerIncarnation);

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
    std::map<ExchangeId, Exchange> exchanges_; // by id: opening order, so runs repeat
    ExchangeId nextExchange_ = 1;
    NetworkStats stats_;
};

} // namespace brokerlab::sim
