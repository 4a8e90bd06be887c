#pragma once
// Properties of a simulated network link between two nodes.

#include <cstdint>

namespace brokerlab::sim {

struct LinkSpec {
    double latencyMs = 0.5; // one-way base latency
    double jitterMs = 0.1; // uniform extra delay in [0, jitter]
    double loss = 0.0; // probability a message is dropped, [0, 1]
    double bandwidthMBps = 0.0; // 0 = unlimited; else serialisation delay per byte
    bool operator==(const LinkSpec&) const = default;
};

} // namespace brokerlab::sim
