#include "workspaceoutput.h"

#include "driver/engine.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace brokerlab::cli {

namespace {
constexpr sim::SimTime kSampleInterval = 1000 * sim::kMicrosPerMs; // metrics history resolution
}

WorkspaceOutput::~WorkspaceOutput()
{
    recorder_.reset();
    try {
        workspace_.close();
    } catch (const store::StoreError&) {
        // Nothing to report to: the temporary file is removed below anyway.
    }
    if (!committed_ && !temporary_.empty()) {
        std::remove(temporary_.c_str());
        std::remove((temporary_ + "-wal").c_str());
        std::remove((temporary_ + "-shm").c_str());
    }
}

bool WorkspaceOutput::open(const std::string& path, std::string& error)
{
    // The lock before anything else: a file someone writes is not even inspected.
    lock_ = std::make_unique<store::WorkspaceLock>(QString::fromStdString(path));
    if (!lock_->tryLock()) {
        if (lock_->heldByOther()) {
            refusedAsLocked_ = true;
            const QString holder = lock_->holder();
            error = "will not write '" + path + "': it is in use by "
                + (holder.isEmpty() ? std::string("another process") : holder.toStdString())
                + " (lock file '" + store::WorkspaceLock::lockPathOf(QString::fromStdString(path)).toStdString()
                + "'); close it there, or choose another --workspace file";
        } else {
            error = "will not write '" + path + "': " + lock_->error().toStdString();
        }
        lock_.reset();
        return false;
    }
    if (QFileInfo::exists(QString::fromStdString(path))) {
        if (auto problem = store::inspectWorkspaceFile(path)) {
            error = "will not replace '" + path + "': it exists and is not a Brokerlab workspace (" + *problem + ")";
            return false;
        }
    }
    path_ = path;
    temporary_ = path + ".partial-" + std::to_string(::getpid());
    std::remove(temporary_.c_str());
    try {
        workspace_.create(temporary_);
    } catch (const store::StoreError& failure) {
        error = "cannot write '" + path + "': " + failure.what();
        temporary_.clear();
        return false;
    }
    recorder_ = std::make_unique<store::RunRecorder>(workspace_);
    return true;
}

void WorkspaceOutput::attach(driver::Engine& engine) { recorder_->attach(engine); }

bool WorkspaceOutput::run(driver::Engine& engine, std::string& error)
{
    try {
        while (engine.now() < engine.endTime()) {
            engine.runUntil(std::min(engine.now() + kSampleInterval, engine.endTime()));
            recorder_->sample(engine);
        }
    } catch (const store::StoreError& failure) {
        error = "writing the workspace '" + path_ + "' failed: " + failure.what();
        return false;
    }
    return true;
}

bool WorkspaceOutput::commit(driver::Engine& engine, const std::string& scenarioPath, std::string& error)
{
    std::ifstream scenarioFile(scenarioPath, std::ios::binary);
    std::stringstream scenarioText;
    scenarioText << scenarioFile.rdbuf();
    try {
        recorder_->finish(engine, scenarioText.str());
        recorder_.reset();
        workspace_.close();
    } catch (const store::StoreError& failure) {
        error = "writing the workspace '" + path_ + "' failed: " + failure.what();
        return false;
    }
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
        error = "cannot move the workspace into '" + path_ + "': " + std::strerror(errno);
        return false;
    }
    committed_ = true;
    return true;
}

} // namespace brokerlab::cli
