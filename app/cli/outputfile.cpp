#include "outputfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace brokerlab::cli {

OutputFile::~OutputFile()
{
    if (stream_.is_open())
        stream_.close();
    if (!committed_ && !temporary_.empty())
        std::remove(temporary_.c_str());
}

bool OutputFile::open(const std::string& path, std::string& error)
{
    path_ = path;
    temporary_ = path + ".partial-" + std::to_string(::getpid());
    stream_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!stream_) {
        error = "cannot write '" + path + "': " + std::strerror(errno);
        temporary_.clear();
        return false;
    }
    return true;
}

bool OutputFile::commit(std::string& error)
{
    stream_.flush();
    const bool good = static_cast<bool>(stream_);
    stream_.close();
    if (!good) {
        error = "writing '" + path_ + "' failed (disk full?)";
        return false;
    }
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
        error = "cannot move the output into '" + path_ + "': " + std::strerror(errno);
        return false;
    }
    committed_ = true;
    return true;
}

} // namespace brokerlab::cli
