#pragma once
// The scenario both GUI benchmarks run (bench_gui: the window under a real-time engine; bench_guimodels: each
// view's share of a frame): PARTITIONS × RF=3 on 3 brokers, four producers sharing RATE records/s, one group of
// four members reading everything.

#include <algorithm>
#include <string>

namespace brokerlab::bench {

inline std::string guiScenarioJson(int partitions, int ratePerSec)
{
    // Topics of 250 partitions each (shown summarised, as a person would see them), RF=3 on 3 brokers: every
    // broker leads a third of the partitions and follows the rest.
    const int topics = std::max(1, partitions / 250);
    std::string json = R"({"name":"bench-gui","duration_ms":3600000,"cluster":{"brokers":3},"topics":[)";
    std::string names;
    for (int t = 0; t < topics; ++t) {
        const int count = t + 1 == topics ? partitions - 250 * (topics - 1) : 250;
        json += (t ? "," : "") + std::string(R"({"name":"t)") + std::to_string(t) + R"(","partitions":)"
            + std::to_string(count) + R"(,"replication_factor":3})";
        names += (t ? "," : "") + std::string("\"t") + std::to_string(t) + "\"";
    }
    json += R"(],"producers":[)";
    for (int p = 0; p < 4; ++p)
        json += (p ? "," : "") + std::string(R"({"id":"p)") + std::to_string(p) + R"(","topic":"t)"
            + std::to_string(p % topics) + R"(","rate":)" + std::to_string(ratePerSec / 4)
            + R"(,"workload":{"kind":"bytes","keys":"null","value_bytes":100,"headers":false}})";
    json += R"(],"consumers":[{"id":"readers","topics":[)" + names + R"(],"members":4}]})";
    return json;
}

} // namespace brokerlab::bench
