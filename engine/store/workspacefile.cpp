// Recognising a workspace file from its first 100 bytes (the SQLite header) before SQLite opens
// it: https://www.sqlite.org/fileformat2.html#the_database_header lists the fields read here.

#include "store/workspace.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace brokerlab::store {

namespace {

std::uint32_t be32(const QByteArray& bytes, int at)
{
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
        value = value << 8 | static_cast<std::uint8_t>(bytes[at + i]);
    return value;
}

std::string hex(std::uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

} // namespace

std::optional<std::string> inspectWorkspaceFile(const std::string& path)
{
    const QString name = QString::fromStdString(path);
    const QFileInfo info(name);
    if (!info.exists())
        return path + ": no such file";
    if (info.isDir())
        return path + ": is a directory, not a workspace file";
    QFile file(name);
    if (!file.open(QIODevice::ReadOnly))
        return path + ": cannot read: " + file.errorString().toStdString();
    const QByteArray header = file.read(100);
    const qint64 size = file.size();
    static const QByteArray magic("SQLite format 3\0", 16);
    if (size == 0)
        return path + ": the file is empty, not a Brokerlab workspace";
    if (!header.startsWith(magic))
        return path + ": not a Brokerlab workspace (it is not an SQLite database)";
    if (header.size() < 100)
        return path + ": the workspace is truncated (" + std::to_string(size) + " bytes, shorter than its header)";

    const std::uint32_t applicationId = be32(header, 68);
    if (applicationId != static_cast<std::uint32_t>(kApplicationId)) {
        return path + ": an SQLite database, but not a Brokerlab workspace (application id " + hex(applicationId)
            + ", a workspace has " + hex(static_cast<std::uint32_t>(kApplicationId)) + ")";
    }
    const std::uint32_t version = be32(header, 60);
    if (version > static_cast<std::uint32_t>(kFormatVersion)) {
        return path + ": written by a newer Brokerlab (workspace format " + std::to_string(version)
            + "; this version reads up to format " + std::to_string(kFormatVersion) + "); it is left as it is";
    }
    if (version == 0)
        return path + ": the workspace has no format version; it was not written completely";

    std::uint32_t pageSize = (static_cast<std::uint8_t>(header[16]) << 8) | static_cast<std::uint8_t>(header[17]);
    if (pageSize == 1)
        pageSize = 65536;
    // The page count in the header is valid when the two change counters agree (SQLite >= 3.7.0).
    const std::uint32_t pageCount = be32(header, 28);
    if (pageSize >= 512 && pageCount > 0 && be32(header, 24) == be32(header, 92)) {
        const qint64 expected = qint64(pageSize) * qint64(pageCount);
        // A WAL file beside it may hold pages not yet checkpointed, but never fewer than the header says.
        if (size < expected)
            return path + ": the workspace is truncated (" + std::to_string(size) + " bytes; its header says "
                + std::to_string(expected) + ")";
    }
    return std::nullopt;
}

bool isWorkspaceFile(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (QFileInfo(file).isDir() || !file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(72);
    return header.size() == 72 && header.startsWith(QByteArray("SQLite format 3\0", 16))
        && be32(header, 68) == static_cast<std::uint32_t>(kApplicationId);
}

} // namespace brokerlab::store
