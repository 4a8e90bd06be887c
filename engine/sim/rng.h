#pragma once
// The engine's only source of randomness: one seeded std::mt19937_64 with our own distributions,
// because the standard library's distributions differ between implementations.

#include <cstdint>
#include <random>
#include <vector>

namespace brokerlab::sim {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) : engine_(seed) { }
    void seed(std::uint64_t seed)
    {
        engine_.seed(seed);
        hasSpareNormal_ = false;
    }

    std::uint64_t next() { return engine_(); }
    // Uniform in [0, 1) with 53 random bits.
    double uniform01();
    // Uniform integer in [lo, hi] (inclusive), unbiased (rejection sampling).
    std::int64_t uniformInt(std::int64_t lo, std::int64_t hi);
    double uniform(double lo, double hi);
    bool bernoulli(double p);
    double exponential(double mean); // mean > 0
    double normal(double mean, double stddev); // Box-Muller, caches the second value
    double lognormal(double mu, double sigma);
    // Derives an independent generator (e.g. one per actor) without disturbing determinism rules:
    // the child seed is drawn from this generator.
    Rng split();

private:
    std::mt19937_64 engine_;
    bool hasSpareNormal_ = false;
    double spareNormal_ = 0.0;
};

// Zipf over ranks 1..n with exponent s (s > 0): precomputed CDF, O(log n) per draw.
class ZipfDistribution {
public:
    ZipfDistribution(std::int64_t n, double s);
    std::int64_t operator()(Rng& rng) const; // returns a rank in [1, n]
    std::int64_t n() const { return static_cast<std::int64_t>(cdf_.size()); }

private:
    std::vector<double> cdf_;
};

} // namespace brokerlab::sim
