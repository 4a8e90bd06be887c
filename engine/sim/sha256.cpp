#include "sim/sha256.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace brokerlab::sim {

namespace {

// FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Section 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
constexpr std::array<std::uint32_t, 8> kInitialState = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t loadBigEndian(const std::uint8_t* bytes)
{
    return (std::uint32_t { bytes[0] } << 24) | (std::uint32_t { bytes[1] } << 16) | (std::uint32_t { bytes[2] } << 8)
        | std::uint32_t { bytes[3] };
}

} // namespace

void Sha256::reset()
{
    state_ = kInitialState;
    blockLength_ = 0;
    messageLength_ = 0;
}

void Sha256::compress(const std::uint8_t* block)
{
    // Message schedule, section 6.2.2 step 1.
    std::array<std::uint32_t, 64> schedule;
    for (std::size_t t = 0; t < 16; ++t)
        schedule[t] = loadBigEndian(block + 4 * t);
    for (std::size_t t = 16; t < 64; ++t) {
        const std::uint32_t w15 = schedule[t - 15];
        const std::uint32_t w2 = schedule[t - 2];
        const std::uint32_t sigma0 = std::rotr(w15, 7) ^ std::rotr(w15, 18) ^ (w15 >> 3);
        const std::uint32_t sigma1 = std::rotr(w2, 17) ^ std::rotr(w2, 19) ^ (w2 >> 10);
        schedule[t] = sigma1 + schedule[t - 7] + sigma0 + schedule[t - 16];
    }

    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
    for (std::size_t t = 0; t < 64; ++t) {
        const std::uint32_t bigSigma1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
        const std::uint32_t choose = (e & f) ^ (~e & g);
        const std::uint32_t t1 = h + bigSigma1 + choose + kRoundConstants[t] + schedule[t];
        const std::uint32_t bigSigma0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
        const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = bigSigma0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
    state_[5] += f;
    state_[6] += g;
    state_[7] += h;
}

void Sha256::update(std::span<const std::uint8_t> data)
{
    if (data.empty())
        return; // also keeps a null data() away from memcpy
    messageLength_ += data.size();
    const std::uint8_t* input = data.data();
    std::size_t remaining = data.size();

    if (blockLength_ > 0) {
        const std::size_t take = std::min(remaining, block_.size() - blockLength_);
        std::memcpy(block_.data() + blockLength_, input, take);
        blockLength_ += take;
        input += take;
        remaining -= take;
        if (blockLength_ < block_.size())
            return;
        compress(block_.data());
        blockLength_ = 0;
    }
    // Whole blocks straight from the caller's memory: no copy on the trace hasher's hot path.
    for (; remaining >= block_.size(); remaining -= block_.size(), input += block_.size())
        compress(input);
    if (remaining > 0) {
        std::memcpy(block_.data(), input, remaining);
        blockLength_ = remaining;
    }
}

void Sha256::update(std::string_view text)
{
    update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Sha256::Digest Sha256::finish()
{
    // Section 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, then the length in bits, big-endian.
    const std::uint64_t bitLength = messageLength_ * 8;
    block_[blockLength_++] = 0x80;
    if (blockLength_ > 56) {
        std::fill(block_.begin() + static_cast<std::ptrdiff_t>(blockLength_), block_.end(), std::uint8_t { 0 });
        compress(block_.data());
        blockLength_ = 0;
    }
    std::fill(block_.begin() + static_cast<std::ptrdiff_t>(blockLength_), block_.begin() + 56, std::uint8_t { 0 });
    for (std::size_t i = 0; i < 8; ++i)
        block_[56 + i] = static_cast<std::uint8_t>(bitLength >> (56 - 8 * i));
    compress(block_.data());

    Digest digest;
    for (std::size_t i = 0; i < state_.size(); ++i) {
        digest[4 * i] = static_cast<std::uint8_t>(state_[i] >> 24);
        digest[4 * i + 1] = static_cast<std::uint8_t>(state_[i] >> 16);
        digest[4 * i + 2] = static_cast<std::uint8_t>(state_[i] >> 8);
        digest[4 * i + 3] = static_cast<std::uint8_t>(state_[i]);
    }
    reset();
    return digest;
}

std::string Sha256::hex(std::span<const std::uint8_t> bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text(bytes.size() * 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        text[2 * i] = kDigits[bytes[i] >> 4];
        text[2 * i + 1] = kDigits[bytes[i] & 0x0f];
    }
    return text;
}

Sha256::Digest Sha256::digest(std::string_view text)
{
    Sha256 hasher;
    hasher.update(text);
    return hasher.finish();
}

} // namespace brokerlab::sim
