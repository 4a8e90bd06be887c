#include "sim/scheduler.h"

#include <algorithm>

namespace brokerlab::sim {

void Scheduler::scheduleAt(SimTime at, Callback callback)
{
    std::uint32_t slot;
    if (!freeSlots_.empty()) {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
        slots_[slot] = std::move(callback);
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.push_back(std::move(callback));
    }
    heap_.push_back(Entry { std::max(at, now_), nextSequence_++, slot });
    std::push_heap(heap_.begin(), heap_.end(), later);
}

bool Scheduler::step()
{
    if (heap_.empty())
        return false;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Entry entry = heap_.back();
    heap_.pop_back();
    now_ = entry.at;
    Callback callback = std::move(slots_[entry.slot]);
    freeSlots_.push_back(entry.slot);
    ++eventsRun_;
    callback();
    return true;
}

void Scheduler::runUntil(SimTime until)
{
    while (!heap_.empty() && heap_.front().at <= until)
        step();
    if (until > now_)
        now_ = until;
}

} // namespace brokerlab::sim
