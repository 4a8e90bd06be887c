#pragma once
// Payload generators: realistic JSON events with key distributions, and fixed-size values for
// benchmarks. Deterministic for a given seed.

#include "log/record.h"
#include "sim/rng.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::client {

enum class WorkloadKind { Orders, RideRequests, PageViews, LogLines, SensorMetrics, FixedBytes };
std::string_view workloadKindName(WorkloadKind kind); // "orders", "ride_requests", "page_views", "log_lines", "sensor_metrics", "bytes"
std::optional<WorkloadKind> workloadKindFromName(std::string_view name);

enum class KeyDistribution { Null, Uniform, Zipf, Sequential };
std::string_view keyDistributionName(KeyDistribution distribution); // "null", "uniform", "zipf", "sequential"
std::optional<KeyDistribution> keyDistributionFromName(std::string_view name);

struct WorkloadSpec {
    WorkloadKind kind = WorkloadKind::Orders;
    KeyDistribution keys = KeyDistribution::Uniform;
    std::int64_t keyCount = 100; // distinct keys
    double zipfExponent = 1.1; // hot keys when keys = zipf
    std::string keyPrefix; // empty: the kind's natural prefix (e.g. "customer-")
    std::int32_t valueBytes = 100; // FixedBytes only
    bool headers = true; // JSON kinds add a content-type and trace-id header
    bool tombstones = false; // every record is a tombstone: its key with a null value (a delete)
    // Every poisonEvery-th record (numbers poisonEvery, 2 * poisonEvery, ... counting from 1) is framed
    // as Confluent Avro instead of JSON, so a JSON deserializer rejects it; 0: none. JSON kinds only.
    std::int64_t poisonEvery = 0;
    // log_lines: a key per host (default prefix "host-"; each host runs one service) instead of per service.
    bool keyByHost = false;
};

struct GeneratedRecord {
    std::string key;
    bool nullKey = false;
    std::string value;
    bool nullValue = false; // a tombstone: send no value (`value` is still generated, then ignored)
    std::vector<log::RecordHeader> headers;
};

class Workload {
public:
    Workload(WorkloadSpec spec, std::uint64_t seed);
    ~Workload();
    Workload(Workload&&) noexcept;
    Workload& operator=(Workload&&) noexcept;

    // Fills `out` (reusing its buffers) with record number `sequence` produced at `timestampMs`.
    void next(std::int64_t sequence, std::int64_t timestampMs, GeneratedRecord& out);
    const WorkloadSpec& spec() const { return spec_; }

private:
    struct State;
    WorkloadSpec spec_;
    std::unique_ptr<State> state_;
};

} // namespace brokerlab::client
