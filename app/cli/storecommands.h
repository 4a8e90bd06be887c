#pragma once
// `brokerlab-cli search` and `brokerlab-cli export`: reading a saved workspace. Exit codes as
// for `run` (runcommand.h).

#include <string>
#include <vector>

namespace brokerlab::cli {

int searchCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
void printSearchUsage();
void printExportUsage();

} // namespace brokerlab::cli
