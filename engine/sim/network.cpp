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

void Network::setNodeUp(NodeId node, bool up)
{
    if (!up) {
        paused_.erase(node);
        held_.erase(node); // the process is gone, and its socket buffers with it
    }
    if (up) {
        if (down_.erase(node) != 0)
            ++incarnations_[node];
    } else {
        down_.insert(node);
    }
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

bool Network::send(NodeId from, NodeId to, std::int64_t bytes, Scheduler::Callback deliver)
{
    ++stats_.sent;
    stats_.bytesSent += static_cast<std::uint64_t>(std::max<std::int64_t>(bytes, 0));
    const LinkSpec spec = link(from, to);
    if (!isNodeUp(from) || !isNodeUp(to) || isCut(from, to)) {
        ++stats_.dropped;
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
    scheduler_.scheduleAt(arrival,
        [this, from, to, fromIncarnation, toIncarnation, deliver = std::move(deliver)]() mutable {
            // A cut, a crash or a restart while the message was in flight resets the connection.
            if (!isNodeUp(to) || !isNodeUp(from) || isCut(from, to) || incarnation(to) != toIncarnation
                || incarnation(from) != fromIncarnation) {
                ++stats_.dropped;
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
