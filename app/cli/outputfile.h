#pragma once
// An output file that appears only when the command succeeds: everything is written to a
// temporary file beside the target, renamed into place by commit(), removed otherwise.

#include <fstream>
#include <string>

namespace brokerlab::cli {

class OutputFile {
public:
    OutputFile() = default;
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    bool open(const std::string& path, std::string& error);
    bool isOpen() const { return stream_.is_open(); }
    std::ofstream& stream() { return stream_; }
    bool commit(std::string& error);
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::string temporary_;
    std::ofstream stream_;
    bool committed_ = false;
};

} // namespace brokerlab::cli
