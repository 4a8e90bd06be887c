#pragma once
// Incremental SHA-256 (FIPS 180-4). The engine hashes its event trace with it: two runs with the
// same scenario, seed and commands must produce the same digest on every machine.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brokerlab::sim {

class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256() { reset(); }

    void update(std::span<const std::uint8_t> data);
    void update(std::string_view text);
    // Pads, returns the digest and resets, so one object can hash message after message.
    Digest finish();
    void reset();

    // Lowercase hex, two characters per byte.
    static std::string hex(std::span<const std::uint8_t> bytes);
    static Digest digest(std::string_view text);
    static std::string hexDigest(std::string_view text) { return hex(digest(text)); }

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> state_ {};
    std::array<std::uint8_t, 64> block_ {};
    std::size_t blockLength_ = 0;
    std::uint64_t messageLength_ = 0; // bytes
};

} // namespace brokerlab::sim
