#pragma once
// Values kept by topic name, then by partition number. A follower's fetch names every partition it
// follows (a thousand, in a large demo), and the broker looks each one up on every append that
// might complete the fetch: here that costs one comparison per topic and an array index, where a
// map keyed by (topic, partition) compared topic strings a dozen times per lookup. Iteration is in
// topic order, then partition order, so everything built on it stays deterministic.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::cluster {

template <typename T>
class PartitionIndex {
public:
    // The value for that partition, or nullptr if none was ever set.
    T* find(std::string_view topic, std::int32_t partition)
    {
        auto it = topics_.find(topic);
        if (it == topics_.end() || partition < 0 || static_cast<std::size_t>(partition) >= it->second.size())
            return nullptr;
        return &it->second[static_cast<std::size_t>(partition)];
    }

    // The value for that partition, default-constructed (with any missing lower partitions) if new.
    T& operator()(std::string_view topic, std::int32_t partition)
    {
        auto it = topics_.find(topic);
        if (it == topics_.end())
            it = topics_.emplace(std::string(topic), std::vector<T>()).first;
        const auto index = static_cast<std::size_t>(partition < 0 ? 0 : partition);
        if (index >= it->second.size())
            it->second.resize(index + 1);
        return it->second[index];
    }

    void clear() { topics_.clear(); }

    // fn(topic, partition, value) for every slot, in topic then partition order.
    template <typename Fn>
    void forEach(Fn&& fn)
    {
        for (auto& [topic, values] : topics_) {
            for (std::size_t partition = 0; partition < values.size(); ++partition)
                fn(topic, static_cast<std::int32_t>(partition), values[partition]);
        }
    }

private:
    std::map<std::string, std::vector<T>, std::less<>> topics_;
};

} // namespace brokerlab::cluster
