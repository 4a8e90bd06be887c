#pragma once
// `brokerlab-cli run`: one scenario, headless, in virtual time as fast as possible.

#include <string>
#include <vector>

namespace brokerlab::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the run could not finish or write its output
inline constexpr int kExitBadInput = 2; // bad usage, a bad scenario file, an absurd option

int runCommand(const std::vector<std::string>& args);
void printRunUsage();

} // namespace brokerlab::cli
