#pragma once
// `brokerlab-cli lesson FILE|ID [--seed N] [--json]` and `brokerlab-cli lesson --list`: run a lesson
// headless and check its assertions. Exit codes as for `run` (runcommand.h); 1 also means an
// assertion failed.

#include <string>
#include <vector>

namespace brokerlab::cli {

int lessonCommand(const std::vector<std::string>& args);
void printLessonUsage();

} // namespace brokerlab::cli
