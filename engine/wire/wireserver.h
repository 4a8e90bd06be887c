#pragma once
// Kafka listeners for real clients: one TCP listener per simulated broker, all served by one wire
// thread (poll(2) over non-blocking sockets). Each request is decoded here, runs as a Driver
// command on the sim thread at the current virtual time through the same Cluster request path the
// simulated clients use, and its response comes back to this thread to be written out.
//
// A client may pipeline up to 16 requests per connection; the simulated network keeps each
// connection's messages in order, so the broker sees them in the order they were sent, and the
// answers are written in that order (Kafka reads one request per connection at a time; the
// difference shows only in throughput).
// A broker whose process is down (crashed, stopped) has its listener and connections closed; when
// it runs again the listener reopens on the same port.

#include "wire/codec.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace brokerlab::driver {
class Driver;
}

namespace brokerlab::wire {

struct WireServerOptions {
    std::string host = "127.0.0.1"; // the address listened on and advertised in Metadata
    // Broker N listens on portBase + N - 1. 0: every listener takes a free port from the OS (and
    // keeps it across restarts).
    int portBase = 19092;
    // Kafka's socket.request.max.bytes: a larger frame closes the connection unread.
    std::int32_t maxRequestBytes = 100 * 1024 * 1024;
};

struct WireCounters {
    std::int64_t connectionsAccepted = 0;
    std::int64_t requests = 0;
    std::int64_t badFrames = 0; // closed for malformed, oversized, unknown or unsupported requests
};

class WireServer {
public:
    WireServer(driver::Driver& driver, WireServerOptions options);
    ~WireServer(); // stops the wire thread and closes every socket
    WireServer(const WireServer&) = delete;
    WireServer& operator=(const WireServer&) = delete;

    // Binds one listener per broker that runs now and starts the wire thread. On failure returns
    // false with `error` naming the broker and port.
    bool start(std::string& error);
    void stop();

    // "host:port,host:port,..." for every broker, in broker id order.
    std::string bootstrap() const;
    // Broker id -> port of every broker that has had a listener.
    std::map<std::int32_t, int> ports() const;
    // Port of broker `id`, or 0 when it has none.
    int port(std::int32_t brokerId) const;
    WireCounters counters() const;

    struct Mailbox; // responses from the sim thread to the wire thread

private:
    struct Connection;
    struct Listener;

    void run();
    bool openListener(Listener& listener, std::string& error);
    void closeListener(Listener& listener);
    void syncListenersWithBrokers();
    void accept(Listener& listener);
    void readFrom(Connection& connection);
    void writeTo(Connection& connection);
    void maybeDispatch(Connection& connection);
    void dispatch(Connection& connection, std::span<const std::uint8_t> frame);
    void deliverResponses();
    void closeConnection(std::uint64_t id);

    driver::Driver& driver_;
    WireServerOptions options_;
    std::shared_ptr<Mailbox> mailbox_;
    std::thread thread_;
    std::atomic<bool> stopRequested_ { false };
    std::uint64_t startedVersion_ = 0; // Driver::brokersVersion() when start() opened the listeners

    mutable std::mutex mutex_; // guards ports_ and counters_ (read from other threads)
    std::map<std::int32_t, int> ports_;
    WireCounters counters_;

    // Wire thread only.
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::uint64_t nextConnectionId_ = 1;
};

} // namespace brokerlab::wire
