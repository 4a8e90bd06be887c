#include "outputfile.h"
#include "runcommand.h"
#include "store/exporter.h"
#include "store/workspace.h"
#include "storecommands.h"

#include <iostream>

namespace brokerlab::cli {

void printExportUsage()
{
    std::cerr << "usage: brokerlab-cli export WORKSPACE --topic T --format jsonl|csv --out FILE\n"
                 "Writes every record of topic T, partition by partition in offset order. FILE appears only when\n"
                 "the export succeeded.\n";
}

int exportCommand(const std::vector<std::string>& args)
{
    std::string workspacePath, topic, format, outPath;
    std::string problem;
    for (std::size_t i = 0; i < args.size() && problem.empty(); ++i) {
        const std::string& arg = args[i];
        std::string* target = arg == "--topic" ? &topic
            : arg == "--format"                ? &format
            : arg == "--out"                   ? &outPath
                                               : nullptr;
        if (target) {
            if (i + 1 >= args.size())
                problem = "option " + arg + " needs a value";
            else
                *target = args[++i];
        } else if (arg.starts_with("--")) {
            problem = "unknown option '" + arg + "'";
        } else if (workspacePath.empty()) {
            workspacePath = arg;
        } else {
            problem = "unexpected argument '" + arg + "'";
        }
    }
    if (problem.empty() && workspacePath.empty())
        problem = "no workspace file given";
    if (problem.empty() && topic.empty())
        problem = "--topic is required";
    if (problem.empty() && format != "jsonl" && format != "csv")
        problem = format.empty() ? "--format is required (jsonl or csv)"
                                 : "--format must be jsonl or csv, not '" + format + "'";
    if (problem.empty() && outPath.empty())
        problem = "--out is required";
    if (!problem.empty()) {
        std::cerr << "brokerlab-cli export: " << problem << "\n";
        printExportUsage();
        return kExitBadInput;
    }

    // The workspace itself, or any other: an export written over it would replace the run.
    if (store::isWorkspaceFile(outPath)) {
        std::cerr << "brokerlab-cli export: will not write over '" << outPath
                  << "': it is a Brokerlab workspace; choose another --out file\n";
        return kExitBadInput;
    }

    store::Workspace workspace("brokerlab-cli-export");
    try {
        workspace.open(workspacePath, store::Workspace::Mode::ReadOnly);
    } catch (const store::StoreError& error) {
        std::cerr << "brokerlab-cli: " << error.what() << "\n";
        return kExitBadInput;
    }
    OutputFile out;
    std::string error;
    if (!out.open(outPath, error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    std::int64_t written = 0;
    try {
        written = store::exportTopic(workspace, topic,
            format == "csv" ? store::ExportFormat::Csv : store::ExportFormat::JsonLines, out.stream());
    } catch (const store::StoreError& failure) {
        const std::string message = failure.what();
        std::cerr << "brokerlab-cli export: " << message << "\n";
        return message.starts_with("unknown topic") ? kExitBadInput : kExitFailure;
    }
    if (!out.commit(error)) {
        std::cerr << "brokerlab-cli: " << error << "\n";
        return kExitFailure;
    }
    std::cerr << "exported " << written << " records of topic " << topic << " to " << outPath << "\n";
    return kExitOk;
}

} // namespace brokerlab::cli
