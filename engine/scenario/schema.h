#pragma once
// The JSON Schema (draft 2020-12) of scenario files, built from the same limits and config registry
// the loader uses. docs/scenario.schema.json is this value, pretty-printed; a test keeps them equal.
// The schema lets editors complete and check files; the loader still has the last word (rules such
// as "replication_factor <= brokers" or "a producer names a declared topic" are beyond a schema).

#include "scenario/json.h"

namespace brokerlab::scenario {

JsonValue scenarioSchema();

} // namespace brokerlab::scenario
