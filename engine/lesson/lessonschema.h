#pragma once
// The JSON Schema (draft 2020-12) of lesson files: the scenario schema plus the `lesson` block.
// docs/lesson.schema.json is this value, pretty-printed; a test keeps them equal.

#include "scenario/json.h"

namespace brokerlab::lesson {

scenario::JsonValue lessonSchema();

} // namespace brokerlab::lesson
