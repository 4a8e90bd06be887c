#pragma once
// The Messages tab's partition list: what its rows keep, shared by explorerpanel.cpp and explorerpartitions.cpp.

#include <Qt>

namespace brokerlab::ui {

constexpr int kTopicRole = Qt::UserRole; // a partition row's topic (QString)
constexpr int kPartitionRole = Qt::UserRole + 1; // its partition number
constexpr int kFirstRole = Qt::UserRole + 2; // the first offset the workspace holds (-1: none)
constexpr int kLastRole = Qt::UserRole + 3; // the last

} // namespace brokerlab::ui
