// brokerlab-cli: Brokerlab without a window. Links the engine alone.

#include "lessoncommand.h"
#include "runcommand.h"
#include "servecommand.h"
#include "storecommands.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

void printUsage()
{
    std::cerr << "usage: brokerlab-cli COMMAND [ARGS]\n\n"
                 "commands:\n"
                 "  run FILE [--seed N] [--duration SECONDS] [--report FILE] [--trace FILE] [--dump-messages FILE]\n"
                 "      run a scenario headless, in virtual time as fast as possible\n"
                 "      (--workspace FILE saves the run as a workspace)\n"
                 "  serve FILE [--seed N] [--port-base P] [--host ADDRESS] [--report FILE]\n"
                 "      run a scenario paced in real time with a Kafka listener per broker for real clients\n"
                 "  search WORKSPACE QUERY [--topic T] [--from TIME] [--to TIME] [--limit N] [--json]\n"
                 "      find records in a saved workspace, newest first\n"
                 "  export WORKSPACE --topic T --format jsonl|csv --out FILE\n"
                 "      write a topic's records out\n"
                 "  lesson FILE|ID [--seed N] [--json]   |   lesson --list\n"
                 "      run a lesson headless and check its assertions (exit 1 when one fails)\n"
                 "  help      show this text\n\n"
                 "exit codes: 0 success, 1 the run or its output failed, 2 bad usage or a bad scenario file\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printUsage();
        return brokerlab::cli::kExitBadInput;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "run")
        return brokerlab::cli::runCommand(args);
    if (command == "serve")
        return brokerlab::cli::serveCommand(args);
    if (command == "search")
        return brokerlab::cli::searchCommand(args);
    if (command == "export")
        return brokerlab::cli::exportCommand(args);
    if (command == "lesson")
        return brokerlab::cli::lessonCommand(args);
    if (command == "help" || command == "--help" || command == "-h") {
        printUsage();
        return brokerlab::cli::kExitOk;
    }
    std::cerr << "brokerlab-cli: unknown command '" << command << "'\n";
    printUsage();
    return brokerlab::cli::kExitBadInput;
}
