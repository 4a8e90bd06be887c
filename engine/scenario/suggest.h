#pragma once
// "Did you mean ...?" for misspelt names: scenario keys, config names, topic ids, enum values.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brokerlab::scenario {

// Optimal string alignment distance (Levenshtein plus swapping two neighbours), case-insensitive
// for ASCII, so that "lingerms", "Linger.ms" and "lniger.ms" all land near "linger.ms".
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` if it is close enough to be a plausible typo: at most a third of
// the name's length away (and at least 1, at most 3 edits), or the name followed by a '.' or '_'
// suffix ("linger" -> "linger.ms"); never one that shares no character position with the name
// ("2" is not a typo of "0"). Ties go to the earlier candidate.
std::optional<std::string> closestMatch(std::string_view name, const std::vector<std::string_view>& candidates);

// " (did you mean \"x\"?)" or an empty string.
std::string didYouMean(std::string_view name, const std::vector<std::string_view>& candidates);

} // namespace brokerlab::scenario
