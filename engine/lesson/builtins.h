#pragma once
// The built-in lessons: resources/lessons/NN-<id>.json, compiled into the program as Qt resources
// under :/lessons/, so that `brokerlab-cli lesson --list` works from any directory.

#include <optional>
#include <string>
#include <vector>

namespace brokerlab::lesson {

struct BuiltinLesson {
    int number = 0; // NN
    std::string id; // the file name without NN- and .json
    std::string resourcePath; // ":/lessons/NN-id.json"
};

// In number order.
std::vector<BuiltinLesson> builtinLessons();
// By id ("acks-0-1-all"), number ("14" or "014") or file stem ("14-acks-0-1-all").
std::optional<BuiltinLesson> findBuiltinLesson(const std::string& name);

} // namespace brokerlab::lesson
