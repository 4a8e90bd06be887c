#pragma once
// The scenario the consumer-group view tests share (test_groupmodels, test_groupspanel): three brokers, a topic of
// four partitions, a producer, and group "billing" of two members with the eager range assignor.

namespace brokerlab::testing {

inline const char* const kGroupScenario = R"({"name":"groups","duration_ms":60000,"cluster":{"brokers":3},
  "topics":[{"name":"orders","partitions":4,"replication_factor":2}],
  "producers":[{"id":"p","topic":"orders","rate":400,"workload":{"kind":"orders"}}],
  "consumers":[{"id":"billing","topics":["orders"],"members":2,
                "config":{"auto.offset.reset":"earliest","partition.assignment.strategy":"range"}}]})";

} // namespace brokerlab::testing
