#pragma once

namespace brokerlab::driver {

// Prepares the calling thread for background work: names it (top -H, perf and gdb show the name; at most 15
// characters) and, when `niceness` > 0, lowers its CPU priority by that many nice steps on Linux. On a machine with
// few cores the GUI thread then gets a core first when it wakes for a frame, while the worker still runs whenever
// the GUI does not (a priority, not a limit). Elsewhere only the name is set.
void setUpWorkerThread(const char* name, int niceness = 0);

} // namespace brokerlab::driver
