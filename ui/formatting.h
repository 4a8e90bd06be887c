#pragma once
// How numbers and virtual times read in every view, so the cluster view, the timeline, the details panel and the
// status bar never disagree about "12.3 MB" or "01:05.250".

#include <QString>

#include <cstdint>

namespace brokerlab::ui {

// Virtual time as mm:ss.mmm (minutes keep counting past 59: a lab run is rarely longer than an hour and a
// constant width keeps the timeline's first column aligned).
QString formatVirtualTime(std::int64_t virtualUs);
// Records per second: "0/s", "312/s", "12.4k/s".
QString formatRate(double perSecond);
// A count with the locale's digit grouping: "12,345".
QString formatCount(std::int64_t value);
// Bytes in the units people read: "512 bytes", "12.3 MB".
QString formatBytes(std::int64_t bytes);

} // namespace brokerlab::ui
