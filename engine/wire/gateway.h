#pragma once
// The sim-thread half of the wire layer: a decoded request from a real client enters the cluster
// through the same Cluster::send* request path (and so the same network model and broker handler)
// a simulated client uses.

#include "sim/network.h"
#include "wire/codec.h"

#include <functional>

namespace brokerlab::driver {
class Engine;
}

namespace brokerlab::wire {

// Called on the sim thread when the broker's answer reaches the client's network node; never when
// the request or the answer was lost (a cut link, a broker that went down): the real client then
// times out, as it would against Kafka.
using ReplyFunction = std::function<void(ResponseBody&&)>;

// Sends `request` from network node `client` to broker `brokerId`. Returns false when there is no
// such broker. ApiVersions is answered by the wire thread and must not come here. The request and
// its answer are counted for the views under `clientId` (the request header's client.id).
bool serveRequest(driver::Engine& engine, std::int32_t brokerId, sim::NodeId client, const std::string& clientId,
    RequestBody request, ReplyFunction reply);

// The ApiVersions answer: every supported api with its version range.
ApiVersionsResponse apiVersionsResponse(protocol::ErrorCode error = protocol::ErrorCode::NONE);

} // namespace brokerlab::wire
