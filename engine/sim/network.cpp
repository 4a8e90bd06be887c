#include "sim/network.h"

#include <algorithm>

namespace brokerlab::sim {

Network::Network(Scheduler& scheduler, Rng rng, LinkSpec defaultLink)
    : scheduler_(scheduler)
    , rng_(rng)
    , defaultLink_(defaultLink)
{
}

void Network::setLink(NodeId from, NodeId to, const LinkSpec& link) { links_[{ from, to }] = link; }

void Network::clearLink(NodeId from, NodeId to) { links_.erase({ from, to }); }

LinkSpec Network::link(NodeId from, NodeId to) const
{
    auto it = links_.find({ from, to });
    return it == links_.end() ? defaultLink_ : it->second;
}

void Network::setCut(NodeId from, NodeId to, bool cut)
{
    if (cut)
        cuts_.insert({ from, to });
    else
        cuts_.erase({ from, to });
}

bool Network::isCut(NodeId from, NodeId to) const { return !cuts_.empty() && cuts_.count({ from, to }) != 0; }

void Network::partition(const std::set<NodeId>& sideA, const std::set<NodeId>& sideB)
{
    for (NodeId a : sideA) {
        for (NodeId b : sideB) {
            cuts_.insert({ a, b });
            cuts_.insert({ b, a });
        }
    }
}

void Network::heal() { cuts_.clear(); }

void Network::setNodePaused(NodeId node, bool paused)
{
    if (paused) {
        paused_.insert(node);
        return;
    }
    paused_.erase(node);
    auto held = held_.find(node);
    if (held == held_.end())
        return;
    // Everything that waited arrives now, in the order it was sent.
    for (auto& deliver : held->second) {
        scheduler_.scheduleAt(scheduler_.now(), [this, node, deliver = std::move(deliver)]() mutable {
            if (isNodeUp(node))
                deliver();
        });
    }
    held_.erase(held);
}

void Network::setNodeUp(NodeId node, bool up, Departure departure)
{
    if (!up) {
        paused_.erase(node);
        held_.erase(node); // the process is gone, and its socket buffers with it
    }
    if (up) {
        if (down_.erase(node) != 0)
            ++incarnations_[node];
    } else if (down_.insert(node).second) {
        settleExchanges(node, departure);
    }
}

ExchangeId Network::openExchange(NodeId from, NodeId to, Scheduler::Callback onClosed)
{
    const ExchangeId id = nextExchange_++;
    exchanges_.emplace_hint(exchanges_.end(), id, Exchange { from, to, incarnation(to), std::move(onClosed) });
    return id;
}

void Network::closeExchange(ExchangeId exchange)
{
    if (exchange != 0)
        exchanges_.erase(exchange);
}

void Network::settleExchanges(NodeId node, Departure departure)
{
    // Whoever waited inside the dead process waits no more. Whoever waited on it hears the
    // connection close (one notice per peer: one connection), unless the host lost power.
    const std::uint64_t nodeIncarnation = incarnation(node);
    std::set<NodeId> peers;
    for (auto it = exchanges_.begin(); it != exchanges_.end();) {
        const Exchange& exchange = it->second;
        const bool waitedOn = exchange.to == node && exchange.toIncarnation == nodeIncarnation;
        if (exchange.from == node || (waitedOn && departure == Departure::PowerLoss)) {
            it = exchanges_.erase(it);
            continue;
        }
        if (waitedOn)
            peers.insert(exchange.from);
        ++it;
    }
    for (NodeId peer : peers) {
        // The close travels like a message, behind everything already sent on the connection. It
        // takes the link's latency without jitter: it draws nothing from the random stream, so the
        // rest of the run keeps the timings it would have had.
        SimTime& last = lastArrival_[{ node, peer }];
        const SimTime latency = std::max<SimTime>(1, fromMs(link(node, peer).latencyMs));
        const SimTime arrival = std::max(scheduler_.now() + latency, last);
        last = arrival;
        scheduler_.scheduleAt(arrival, [this, node, nodeIncarnation, peer, peerIncarnation = incarnation(peer)] {
            deliverClose(node, nodeIncarnation, peer, peerIncarnation);
        });
    }
}

void Network::deliverClose(NodeId node, std::uint64_t nodeIncarnation, NodeId peer, std::uint64_t peerIncarnation)
{
    // A link cut meanwhile swallows the close; a peer that went down meanwhile forgot its requests.
    const bool heard = isNodeUp(peer) && incarnation(peer) == peerIncarnation && !isCut(node, peer);
    std::vector<Scheduler::Callback> closed;
    for (auto it = exchanges_.begin(); it != exchanges_.end();) {
        const Exchange& exchange = it->second;
        if (exchange.from != peer || exchange.to != node || exchange.toIncarnation != nodeIncarnation) {
            ++it;
            continue;
        }
        if (heard)
            closed.push_back(std::move(it->second.onClosed));
        it = exchanges_.erase(it);
    }
    if (closed.empty())
        return;
    ++stats_.connectionsClosed;
    for (auto& onClosed : closed)
        onClosed();
}

bool Network::isNodeUp(NodeId node) const { return down_.count(node) == 0; }

std::uint64_t Network::incarnation(NodeId node) const
{
    auto it = incarnations_.find(node);
    return it == incarnations_.end() ? 0 : it->second;
}

SimTime Network::transitTime(const LinkSpec& link, std::int64_t bytes)
{
    double ms = link.latencyMs;
    if (link.jitterMs > 0)
        ms += rng_.uniform01() * link.jitterMs;
    if (link.bandwidthMBps > 0)
        ms += static_cast<double>(bytes) / (link.bandwidthMBps * 1000.0); // MB/s = bytes per ms / 1000
    return std::max<SimTime>(1, fromMs(ms));
}

bool Network::send(NodeId from, NodeId to, std::int64_t bytes, Scheduler::Callback deliver, ExchangeId exchange)
{
    ++stats_.sent;
    stats_.bytesSent += static_cast<std::uint64_t>(std::max<std::int64_t>(bytes, 0));
    const LinkSpec spec = link(from, to);
    if (!isNodeUp(from) || !isNodeUp(to) || isCut(from, to)) {
        ++stats_.dropped;
        if (isNodeUp(from) && isNodeUp(to))
            closeExchange(exchange); // lost to the cut: nobody will be told
        return false;
    }
    SimTime arrival = scheduler_.now() + transitTime(spec, bytes);
    if (spec.loss > 0) {
        // Messages travel over TCP: a lost segment is sent again after the retransmission
        // timeout (200 ms minimum on Linux), doubling each time. After kMaxRetransmissions the
        // connection gives up and the message is gone; the sender's request timeout notices.
        SimTime timeout = kMinRetransmissionTimeout;
        int attempt = 0;
        while (rng_.bernoulli(spec.loss)) {
            if (++attempt > kMaxRetransmissions) {
                ++stats_.dropped;
                closeExchange(exchange);
                return true; // accepted by the socket, never delivered
            }
            arrival += timeout;
            timeout *= 2;
            ++stats_.retransmissions;
        }
    }
    SimTime& last = lastArrival_[{ from, to }];
    arrival = std::max(arrival, last);
    last = arrival;
    const std::uint64_t fromIncarnation = incarnation(from);
    const std::uint64_t toIncarnation = incarnation(to);
    scheduler_.scheduleAt(
        arrival, [this, from, to, fromIncarnation, toIncarnation, exchange, deliver = std::move(deliver)]() mutable {
            // A cut, a crash or a restart while the message was in flight resets the connection.
            // (A node that went down settled the message's exchange then; a cut forgets it now.)
            const bool sameProcesses = isNodeUp(to) && isNodeUp(from) && incarnation(to) == toIncarnation
                && incarnation(from) == fromIncarnation;
            if (!sameProcesses || isCut(from, to)) {
                ++stats_.dropped;
                if (sameProcesses)
                    closeExchange(exchange);
                return;
            }
            ++stats_.delivered;
            if (isNodePaused(to)) {
                held_[to].push_back(std::move(deliver));
                return;
            }
            deliver();
        });
    return true;
}

} // namespace brokerlab::sim
