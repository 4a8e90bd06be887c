#pragma once
// `brokerlab-cli serve`: one scenario, headless, paced in real time, with a Kafka listener per
// broker for real clients (kcat, librdkafka, Java clients).

#include <string>
#include <vector>

namespace brokerlab::cli {

int serveCommand(const std::vector<std::string>& args);
void printServeUsage();

} // namespace brokerlab::cli
