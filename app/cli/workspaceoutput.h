#pragma once
// `run --workspace FILE`: the run recorded into a workspace file that appears under its name only
// when the run and the save succeeded. An existing file that is not a Brokerlab workspace is
// never replaced. The file's lock (store/workspacelock.h) is held from open() to the end: a
// workspace another process writes (a Brokerlab window, another run) is refused and left as it is.

#include "store/runrecorder.h"
#include "store/workspace.h"
#include "store/workspacelock.h"

#include <memory>
#include <string>

namespace brokerlab::driver {
class Engine;
}

namespace brokerlab::cli {

class WorkspaceOutput {
public:
    WorkspaceOutput() = default;
    ~WorkspaceOutput();
    WorkspaceOutput(const WorkspaceOutput&) = delete;
    WorkspaceOutput& operator=(const WorkspaceOutput&) = delete;

    bool open(const std::string& path, std::string& error);
    bool isOpen() const { return recorder_ != nullptr; }
    bool refusedAsLocked() const { return refusedAsLocked_; } // open() failed: another process holds the file
    void attach(driver::Engine& engine); // before engine.start()
    // Runs the engine to its end time, sampling into the workspace once per virtual second.
    bool run(driver::Engine& engine, std::string& error);
    bool commit(driver::Engine& engine, const std::string& scenarioPath, std::string& error);

private:
    std::string path_;
    std::string temporary_;
    store::Workspace workspace_ { "brokerlab-cli-workspace" };
    std::unique_ptr<store::RunRecorder> recorder_;
    std::unique_ptr<store::WorkspaceLock> lock_;
    bool refusedAsLocked_ = false;
    bool committed_ = false;
};

} // namespace brokerlab::cli
