#pragma once
// Kafka requests over a plain socket, for tests that check the wire layer byte by byte (no client library
// hides what is sent). Blocking, with a 10 s receive timeout so a missing answer fails instead of hanging.

#include "wire/kip848codec.h"
#include "wire/wirebuffer.h"

#include <arpa/inet.h>
#include <cstdint>
#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <vector>

namespace brokerlab::test {

using Bytes = std::vector<std::uint8_t>;

// A blocking client connection: sends framed requests and reads framed responses.
class RawConnection {
public:
    explicit RawConnection(int port, std::string clientId = "raw-test", const char* host = "127.0.0.1")
        : clientId_(std::move(clientId))
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout { 10, 0 }; // a missing answer fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, host, &address.sin_addr);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~RawConnection() { ::close(fd_); }
    bool connected() const { return connected_; }

    // Sends header (request header v2 when `flexible`) + body; returns the response body after the
    // correlation id (and the response header's tag section when `flexible`). Empty on failure.
    Bytes call(std::int16_t apiKey, std::int16_t version, bool flexible, const Bytes& body)
    {
        wire::WireWriter out;
        out.int32(0);
        out.int16(apiKey);
        out.int16(version);
        out.int32(++correlation_);
        out.nullableString(clientId_);
        if (flexible)
            out.emptyTaggedFields();
        out.raw(body);
        out.patchInt32(0, static_cast<std::int32_t>(out.size() - 4));
        const Bytes frame = out.take();
        if (::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame.size()))
            return {};
        Bytes size(4);
        if (!readExactly(size))
            return {};
        Bytes response(static_cast<std::size_t>((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3]));
        if (!readExactly(response))
            return {};
        wire::WireReader in(response);
        if (in.int32() != correlation_)
            return {};
        if (flexible)
            in.skipTaggedFields();
        return Bytes(response.begin() + static_cast<std::ptrdiff_t>(in.position()), response.end());
    }

private:
    bool readExactly(Bytes& into)
    {
        std::size_t got = 0;
        while (got < into.size()) {
            const ssize_t n = ::recv(fd_, into.data() + got, into.size() - got, 0);
            if (n <= 0)
                return false;
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    std::string clientId_;
    int fd_ = -1;
    bool connected_ = false;
    std::int32_t correlation_ = 0;
};

// A Metadata response body (v9 to v13, flexible) read the way a client reads it, as far as tests need it.
struct MetadataTopic {
    std::int16_t errorCode = 0;
    std::optional<std::string> name;
    wire::Uuid topicId {};
    std::int32_t partitions = 0;
};
struct MetadataAnswer {
    std::vector<std::pair<std::int32_t, int>> brokers; // node id, port
    std::vector<MetadataTopic> topics;
    bool complete = false; // every byte read, none left over
};
inline MetadataAnswer readFlexibleMetadata(const Bytes& body, std::int16_t version)
{
    MetadataAnswer answer;
    wire::WireReader in(body);
    in.int32(); // throttle time
    const std::int32_t brokers = in.compactArrayLength();
    for (std::int32_t i = 0; i < brokers && in.ok(); ++i) {
        const std::int32_t id = in.int32();
        in.compactString();
        answer.brokers.emplace_back(id, in.int32());
        in.compactNullableString();
        in.skipTaggedFields();
    }
    in.compactNullableString(); // cluster id
    in.int32(); // controller id
    const std::int32_t topics = in.compactArrayLength();
    for (std::int32_t t = 0; t < topics && in.ok(); ++t) {
        MetadataTopic topic;
        topic.errorCode = in.int16();
        topic.name = version >= 12 ? in.compactNullableString() : std::optional<std::string>(in.compactString());
        if (version >= 10)
            topic.topicId = wire::readUuid(in);
        in.boolean(); // internal
        topic.partitions = in.compactArrayLength();
        for (std::int32_t p = 0; p < topic.partitions && in.ok(); ++p) {
            in.int16();
            in.int32();
            in.int32();
            in.int32(); // leader epoch
            for (int list = 0; list < 3; ++list) { // replicas, ISR, offline replicas
                const std::int32_t count = in.compactArrayLength();
                for (std::int32_t k = 0; k < count && in.ok(); ++k)
                    in.int32();
            }
            in.skipTaggedFields();
        }
        in.int32(); // topic authorized operations
        in.skipTaggedFields();
        answer.topics.push_back(std::move(topic));
    }
    if (version <= 10)
        in.int32(); // cluster authorized operations
    if (version >= 13)
        in.int16(); // top-level error code
    in.skipTaggedFields();
    answer.complete = in.atEnd();
    return answer;
}

} // namespace brokerlab::test
