#include "wire/wireserver.h"

#include "driver/driver.h"
#include "driver/workerthread.h"
#include "wire/gateway.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace brokerlab::wire {

namespace {

// Nothing in the wire thread runs on a timer: new bytes, answers from the sim thread, a broker that starts or stops
// and stop() all wake its poll. The timeout only bounds a sleep that something failed to end.
constexpr int kIdlePollMs = 1000;
constexpr std::size_t kReadChunk = 256 * 1024;
// While the pipeline is full, read ahead at most this much.
constexpr std::size_t kReadAheadBytes = 1024 * 1024;
// Requests of one connection with the broker at once. Kafka reads one request per connection at a
// time; Brokerlab lets a client pipeline a few (as librdkafka's max.in.flight allows) because the
// simulated network delivers each connection's messages in order, so the broker still sees them
// in the order they were sent, and the answers go out in that order too.
constexpr int kMaxInFlight = 16;

std::int32_t readBe32(const std::uint8_t* bytes)
{
    return static_cast<std::int32_t>((std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16)
        | (std::uint32_t(bytes[2]) << 8) | std::uint32_t(bytes[3]));
}

} // namespace

struct WireServer::Mailbox {
    struct Item {
        std::uint64_t connection = 0;
        std::uint64_t sequence = 0;
        RequestHeader header;
        ResponseBody body;
    };
    std::mutex mutex;
    std::vector<Item> items;
    int wakeFd = -1;
    bool open = true;

    void post(Item item)
    {
        std::lock_guard lock(mutex);
        if (!open)
            return;
        items.push_back(std::move(item));
        wakeLocked();
    }
    void wake()
    {
        std::lock_guard lock(mutex);
        if (open)
            wakeLocked();
    }
    void wakeLocked()
    {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto written = ::write(wakeFd, &one, sizeof one);
    }
};

struct WireServer::Listener {
    std::int32_t brokerId = 0;
    int port = 0;
    int fd = -1;
};

struct WireServer::Connection {
    std::uint64_t id = 0;
    int fd = -1;
    std::int32_t brokerId = 0;
    std::string peerHost; // the client's address, shown as a group member's client host
    std::shared_ptr<sim::NodeId> node; // set and read on the sim thread only
    // Received bytes are in[inPos, inEnd); `in` only grows, so reading never zero-fills a buffer
    // again, and a whole frame is decoded where it lies, without a copy.
    std::vector<std::uint8_t> in;
    std::size_t inPos = 0; // bytes already taken as frames (moved out when reading more)
    std::size_t inEnd = 0;
    std::size_t buffered() const { return inEnd - inPos; }
    std::vector<std::uint8_t> out;
    std::size_t outPos = 0;
    int inFlight = 0; // requests with the broker
    std::uint64_t nextSequence = 0; // of the next request read
    std::uint64_t nextToWrite = 0; // the answer that goes out next
    struct Answer {
        bool silent = false; // acks=0: Kafka sends nothing back
        std::vector<std::uint8_t> bytes;
    };
    std::map<std::uint64_t, Answer> answers; // finished out of order, waiting for their turn
    bool broken = false; // the socket failed or the client closed it: closed at once
    // A request Kafka would refuse (unparsable, unsupported, oversized): nothing more is read, and the
    // connection closes once every earlier request is answered. A Kafka broker reads one request per
    // connection at a time, so it has answered the earlier ones before it reads the bad one.
    bool refused = false;
    bool drained() const { return inFlight == 0 && answers.empty() && outPos >= out.size(); }

    void finish(std::uint64_t sequence, Answer answer)
    {
        answers.emplace(sequence, std::move(answer));
        for (auto it = answers.find(nextToWrite); it != answers.end(); it = answers.find(nextToWrite)) {
            if (!it->second.silent)
                out.insert(out.end(), it->second.bytes.begin(), it->second.bytes.end());
            answers.erase(it);
            ++nextToWrite;
        }
    }
};

WireServer::WireServer(driver::Driver& driver, WireServerOptions options)
    : driver_(driver)
    , options_(std::move(options))
    , mailbox_(std::make_shared<Mailbox>())
{
    mailbox_->wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

WireServer::~WireServer()
{
    stop();
    std::lock_guard lock(mailbox_->mutex);
    mailbox_->open = false;
    if (mailbox_->wakeFd >= 0)
        ::close(mailbox_->wakeFd);
    mailbox_->wakeFd = -1;
}

bool WireServer::start(std::string& error)
{
    // A broker that crashes, restarts or is added wakes the wire thread, which then opens or closes listeners.
    driver_.setBrokersChangedListener([mailbox = mailbox_] { mailbox->wake(); });
    startedVersion_ = driver_.brokersVersion(); // before the snapshot: a change after it is seen by run()
    auto snapshot = driver_.snapshot();
    for (const auto& broker : snapshot->brokers) {
        auto listener = std::make_unique<Listener>();
        listener->brokerId = broker.id;
        listener->port = options_.portBase > 0 ? options_.portBase + broker.id - 1 : 0;
        if (broker.running && !openListener(*listener, error)) {
            for (auto& opened : listeners_)
                closeListener(*opened);
            listeners_.clear();
            return false;
        }
        listeners_.push_back(std::move(listener));
    }
    thread_ = std::thread([this] {
        driver::setUpWorkerThread("brokerlab-wire");
        run();
    });
    return true;
}

void WireServer::stop()
{
    stopRequested_ = true;
    mailbox_->wake();
    if (thread_.joinable())
        thread_.join();
    for (auto& [id, connection] : connections_)
        ::close(connection->fd);
    connections_.clear();
    for (auto& listener : listeners_)
        closeListener(*listener);
}

std::string WireServer::bootstrap() const
{
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& [id, port] : ports_) {
        if (!text.empty())
            text += ',';
        text += options_.host + ':' + std::to_string(port);
    }
    return text;
}

std::map<std::int32_t, int> WireServer::ports() const
{
    std::lock_guard lock(mutex_);
    return ports_;
}

int WireServer::port(std::int32_t brokerId) const
{
    std::lock_guard lock(mutex_);
    auto it = ports_.find(brokerId);
    return it == ports_.end() ? 0 : it->second;
}

WireCounters WireServer::counters() const
{
    std::lock_guard lock(mutex_);
    return counters_;
}

bool WireServer::openListener(Listener& listener, std::string& error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = std::string("cannot create a socket: ") + std::strerror(errno);
        return false;
    }
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(listener.port));
    if (::inet_pton(AF_INET, options_.host.c_str(), &address.sin_addr) != 1) {
        error = "'" + options_.host + "' is not an IPv4 address";
        ::close(fd);
        return false;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 128) != 0) {
        error = "broker " + std::to_string(listener.brokerId) + " cannot listen on " + options_.host + ":"
            + std::to_string(listener.port) + ": " + std::strerror(errno);
        ::close(fd);
        return false;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    listener.port = ntohs(address.sin_port); // keeps an OS-chosen port across restarts
    listener.fd = fd;
    std::lock_guard lock(mutex_);
    ports_[listener.brokerId] = listener.port;
    return true;
}

void WireServer::closeListener(Listener& listener)
{
    if (listener.fd >= 0)
        ::close(listener.fd);
    listener.fd = -1;
}

void WireServer::syncListenersWithBrokers()
{
    auto snapshot = driver_.snapshot();
    for (const auto& broker : snapshot->brokers) {
        Listener* listener = nullptr;
        for (auto& candidate : listeners_)
            if (candidate->brokerId == broker.id)
                listener = candidate.get();
        if (!listener) { // a broker added while running
            listeners_.push_back(std::make_unique<Listener>());
            listener = listeners_.back().get();
            listener->brokerId = broker.id;
            listener->port = options_.portBase > 0 ? options_.portBase + broker.id - 1 : 0;
        }
        if (broker.running && listener->fd < 0) {
            std::string error;
            openListener(*listener, error); // retried on the next tick while the port is busy
        } else if (!broker.running && listener->fd >= 0) {
            // The process died: its listening socket and every connection go with it.
            closeListener(*listener);
            std::vector<std::uint64_t> doomed;
            for (const auto& [id, connection] : connections_)
                if (connection->brokerId == broker.id)
                    doomed.push_back(id);
            for (std::uint64_t id : doomed)
                closeConnection(id);
        }
    }
}

void WireServer::accept(Listener& listener)
{
    for (;;) {
        sockaddr_in peer {};
        socklen_t peerLength = sizeof peer;
        const int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&peer), &peerLength, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        char peerText[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &peer.sin_addr, peerText, sizeof peerText);
        const int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        auto connection = std::make_unique<Connection>();
        connection->id = nextConnectionId_++;
        connection->fd = fd;
        connection->brokerId = listener.brokerId;
        connection->peerHost = std::string("/") + peerText; // Kafka shows client hosts as "/address"
        connection->node = std::make_shared<sim::NodeId>(-1);
        // Each connection is a client node of the simulated network, so link faults apply to it.
        driver_.post({}, [node = connection->node](driver::Engine& engine) {
            *node = engine.cluster().allocateClientNode();
        });
        {
            std::lock_guard lock(mutex_);
            ++counters_.connectionsAccepted;
        }
        connections_.emplace(connection->id, std::move(connection));
    }
}

void WireServer::closeConnection(std::uint64_t id)
{
    auto it = connections_.find(id);
    if (it == connections_.end())
        return;
    ::close(it->second->fd);
    connections_.erase(it);
}

void WireServer::readFrom(Connection& connection)
{
    // Drop the frames already taken once, here, rather than after each frame: many small frames
    // in a full buffer would otherwise move the whole buffer each time.
    if (connection.inPos > 0) {
        std::memmove(connection.in.data(), connection.in.data() + connection.inPos, connection.buffered());
        connection.inEnd -= connection.inPos;
        connection.inPos = 0;
    }
    for (;;) {
        if (connection.in.size() < connection.inEnd + kReadChunk)
            connection.in.resize(connection.inEnd + kReadChunk);
        const ssize_t received = ::recv(connection.fd, connection.in.data() + connection.inEnd, kReadChunk, 0);
        if (received <= 0) {
            if (received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                connection.broken = true;
            return;
        }
        connection.inEnd += static_cast<std::size_t>(received);
        if (static_cast<std::size_t>(received) < kReadChunk || connection.inEnd > kReadAheadBytes)
            return;
    }
}

void WireServer::writeTo(Connection& connection)
{
    while (connection.outPos < connection.out.size()) {
        const ssize_t sent = ::send(connection.fd, connection.out.data() + connection.outPos,
            connection.out.size() - connection.outPos, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                connection.broken = true;
            return;
        }
        connection.outPos += static_cast<std::size_t>(sent);
    }
    connection.out.clear();
    connection.outPos = 0;
}

void WireServer::maybeDispatch(Connection& connection)
{
    while (connection.inFlight < kMaxInFlight && !connection.broken && !connection.refused
        && connection.buffered() >= 4) {
        const std::uint8_t* start = connection.in.data() + connection.inPos;
        const std::int32_t size = readBe32(start);
        if (size < 0 || size > options_.maxRequestBytes) {
            // Kafka's InvalidReceiveException: the connection is closed without an answer.
            connection.refused = true;
            std::lock_guard lock(mutex_);
            ++counters_.badFrames;
            return;
        }
        if (connection.buffered() < 4 + static_cast<std::size_t>(size))
            return;
        connection.inPos += 4 + static_cast<std::size_t>(size);
        // Decoded in place: the request copies what it keeps (the record batches, once).
        dispatch(connection, std::span<const std::uint8_t>(start + 4, static_cast<std::size_t>(size)));
    }
}

void WireServer::dispatch(Connection& connection, std::span<const std::uint8_t> frame)
{
    DecodedRequest request = decodeRequest(frame);
    {
        std::lock_guard lock(mutex_);
        ++counters_.requests;
        if (request.status != DecodeStatus::Ok
            && !(request.status == DecodeStatus::UnsupportedVersion
                && request.header.apiKey == static_cast<std::int16_t>(ApiKey::ApiVersions)))
            ++counters_.badFrames;
    }
    const bool apiVersions = request.header.apiKey == static_cast<std::int16_t>(ApiKey::ApiVersions);
    if (request.status == DecodeStatus::UnsupportedVersion && apiVersions && request.headerValid) {
        // KIP-511: answer in v0 with the supported ranges, so the client can retry with one of them.
        RequestHeader header = request.header;
        header.apiVersion = 0;
        connection.finish(connection.nextSequence++,
            { false, encodeResponse(header, apiVersionsResponse(protocol::ErrorCode::UNSUPPORTED_VERSION)) });
        return;
    }
    if (request.status != DecodeStatus::Ok) {
        // Kafka closes the connection on a request it cannot parse or does not support.
        connection.refused = true;
        return;
    }
    const std::uint64_t sequence = connection.nextSequence++;
    if (apiVersions) {
        connection.finish(sequence, { false, encodeResponse(request.header, apiVersionsResponse()) });
        return;
    }
    const bool respond = expectsResponse(request);
    if (respond)
        ++connection.inFlight;
    else
        connection.finish(sequence, { true, {} });
    if (auto* join = std::get_if<protocol::JoinGroupRequest>(&request.body))
        join->client = { request.header.clientId.value_or(std::string()), connection.peerHost };
    if (auto* heartbeat = std::get_if<ConsumerGroupHeartbeatRequest>(&request.body))
        heartbeat->fields.client = { request.header.clientId.value_or(std::string()), connection.peerHost };
    auto shared = std::make_shared<DecodedRequest>(std::move(request));
    driver_.post({}, [shared, respond, sequence, mailbox = mailbox_, id = connection.id, broker = connection.brokerId,
                         node = connection.node](driver::Engine& engine) {
        ReplyFunction reply;
        if (respond) {
            reply = [mailbox, id, sequence, header = shared->header](ResponseBody&& body) {
                mailbox->post({ id, sequence, header, std::move(body) });
            };
        } else {
            reply = [](ResponseBody&&) { }; // acks=0: Kafka sends nothing back
        }
        serveRequest(engine, broker, *node, shared->header.clientId.value_or(std::string()), std::move(shared->body),
            std::move(reply));
    });
}

void WireServer::deliverResponses()
{
    std::vector<Mailbox::Item> items;
    {
        std::lock_guard lock(mailbox_->mutex);
        items.swap(mailbox_->items);
    }
    for (auto& item : items) {
        auto it = connections_.find(item.connection);
        if (it == connections_.end())
            continue; // the connection closed while the broker worked
        Connection& connection = *it->second;
        if (auto* metadata = std::get_if<protocol::MetadataResponse>(&item.body)) {
            // Advertise the listeners, not the simulated broker's own host name.
            for (auto& broker : metadata->brokers) {
                broker.host = options_.host;
                broker.port = port(broker.nodeId);
            }
        }
        if (auto* coordinator = std::get_if<protocol::FindCoordinatorResponse>(&item.body);
            coordinator && coordinator->nodeId >= 0) {
            coordinator->host = options_.host;
            coordinator->port = port(coordinator->nodeId);
        }
        --connection.inFlight;
        connection.finish(item.sequence, { false, encodeResponse(item.header, item.body) });
        maybeDispatch(connection);
    }
}

void WireServer::run()
{
    std::vector<pollfd> fds;
    std::vector<std::uint64_t> owners; // connection id per pollfd; 0 for listeners and the wake fd
    // The brokers as start() opened their listeners; a crash, restart or new broker changes the version.
    std::uint64_t syncedVersion = startedVersion_;
    while (!stopRequested_) {
        fds.clear();
        owners.clear();
        fds.push_back({ mailbox_->wakeFd, POLLIN, 0 });
        owners.push_back(0);
        for (auto& listener : listeners_) {
            if (listener->fd >= 0) {
                fds.push_back({ listener->fd, POLLIN, 0 });
                owners.push_back(0);
            }
        }
        for (auto& [id, connection] : connections_) {
            short events = 0;
            if (!connection->refused
                && (connection->inFlight < kMaxInFlight || connection->buffered() < kReadAheadBytes))
                events |= POLLIN;
            if (connection->outPos < connection->out.size())
                events |= POLLOUT;
            fds.push_back({ connection->fd, events, 0 });
            owners.push_back(id);
        }
        ::poll(fds.data(), fds.size(), kIdlePollMs);
        if (fds[0].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] auto got = ::read(mailbox_->wakeFd, &count, sizeof count);
        }
        deliverResponses();
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (owners[i] == 0) {
                if (fds[i].revents & POLLIN)
                    for (auto& listener : listeners_)
                        if (listener->fd == fds[i].fd)
                            accept(*listener);
                continue;
            }
            auto it = connections_.find(owners[i]);
            if (it == connections_.end())
                continue;
            Connection& connection = *it->second;
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                readFrom(connection);
                maybeDispatch(connection);
            }
        }
        std::vector<std::uint64_t> broken;
        for (auto& [id, connection] : connections_) {
            if (connection->outPos < connection->out.size())
                writeTo(*connection);
            // A connection closed by the client gets nothing more; one refused for bad input is
            // closed once the answers to the requests before it are written.
            if (connection->broken || (connection->refused && connection->drained()))
                broken.push_back(id);
        }
        for (std::uint64_t id : broken)
            closeConnection(id);
        if (const std::uint64_t version = driver_.brokersVersion(); version != syncedVersion) {
            syncedVersion = version;
            syncListenersWithBrokers();
        }
    }
}

} // namespace brokerlab::wire
