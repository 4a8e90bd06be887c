#include "sim/rng.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>

namespace brokerlab::sim {

namespace {

// A bijective 64-bit mixer: consecutive inputs give unrelated outputs, which keeps a child
// generator's seed away from its parent's stream.
std::uint64_t splitMix64(std::uint64_t value)
{
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

} // namespace

double Rng::uniform01()
{
    // The top 53 bits fill a double's mantissa exactly, so every value is a multiple of 2^-53 and
    // 1.0 is never returned.
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::int64_t Rng::uniformInt(std::int64_t lo, std::int64_t hi)
{
    if (hi <= lo)
        return lo;
    // Work in unsigned arithmetic: hi - lo can exceed INT64_MAX.
    const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    std::uint64_t offset;
    if (span == std::numeric_limits<std::uint64_t>::max()) {
        offset = next();
    } else {
        // Mask to the smallest covering power of two and reject the overshoot: unbiased, fewer
        // than two draws on average, and identical on every standard library (unlike
        // std::uniform_int_distribution, whose algorithm is unspecified).
        const std::uint64_t mask = std::numeric_limits<std::uint64_t>::max() >> std::countl_zero(span);
        do {
            offset = next() & mask;
        } while (offset > span);
    }
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

double Rng::uniform(double lo, double hi)
{
    return lo + (hi - lo) * uniform01();
}

bool Rng::bernoulli(double p)
{
    // Always consume one draw, whatever p is, so that changing a probability in a scenario does
    // not shift every later random choice.
    return uniform01() < p;
}

double Rng::exponential(double mean)
{
    // Inversion: 1 - u lies in (0, 1], so the logarithm is finite.
    return -mean * std::log1p(-uniform01());
}

double Rng::normal(double mean, double stddev)
{
    if (hasSpareNormal_) {
        hasSpareNormal_ = false;
        return mean + stddev * spareNormal_;
    }
    // Box-Muller yields two independent standard normals from two uniforms; keep the second.
    const double u1 = 1.0 - uniform01(); // (0, 1]: log(u1) is finite
    const double u2 = uniform01();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    spareNormal_ = radius * std::sin(angle);
    hasSpareNormal_ = true;
    return mean + stddev * (radius * std::cos(angle));
}

double Rng::lognormal(double mu, double sigma)
{
    return std::exp(normal(mu, sigma));
}

Rng Rng::split()
{
    return Rng(splitMix64(next()));
}

// Memory and time: one double per rank, so n = 10,000,000 takes 80 MB and about 0.1-0.2 s to
// build (one pow per rank). The header's contract (n() is the table's size) fixes that layout; a
// capped head table plus an analytic tail would need new members there.
ZipfDistribution::ZipfDistribution(std::int64_t n, double s)
{
    // Ranks below one make no distribution; treat them as a single rank. s = 0 is the uniform
    // distribution, and a negative exponent (cold head, hot tail) is not a Zipf law: clamp it.
    const auto ranks = static_cast<std::size_t>(std::max<std::int64_t>(n, 1));
    const double exponent = std::max(s, 0.0);
    cdf_.resize(ranks);
    // Compensated summation keeps the running total exact enough that the last ranks of a
    // ten-million-entry table still get their (tiny) share.
    double sum = 0.0;
    double compensation = 0.0;
    for (std::size_t i = 0; i < ranks; ++i) {
        const double weight = std::pow(static_cast<double>(i + 1), -exponent);
        const double corrected = weight - compensation;
        const double total = sum + corrected;
        compensation = (total - sum) - corrected;
        sum = total;
        cdf_[i] = sum;
    }
    // Division (not multiplication by 1 / sum) is monotone and maps sum to exactly 1.0, so the
    // table stays sorted and, since uniform01() < 1.0, every search lands inside it.
    for (double& value : cdf_)
        value /= sum;
    cdf_.back() = 1.0;
}

std::int64_t ZipfDistribution::operator()(Rng& rng) const
{
    const double u = rng.uniform01();
    const auto found = std::upper_bound(cdf_.begin(), cdf_.end(), u);
    const auto index = std::min<std::ptrdiff_t>(found - cdf_.begin(), static_cast<std::ptrdiff_t>(cdf_.size()) - 1);
    return static_cast<std::int64_t>(index) + 1;
}

} // namespace brokerlab::sim
