#include "scenario/suggest.h"

#include <algorithm>
#include <numeric>

namespace brokerlab::scenario {

namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

} // namespace

std::size_t editDistance(std::string_view a, std::string_view b)
{
    // Three rolling rows: the transposition step looks two rows back.
    const std::size_t n = b.size();
    std::vector<std::size_t> previous2(n + 1);
    std::vector<std::size_t> previous(n + 1);
    std::vector<std::size_t> current(n + 1);
    std::iota(previous.begin(), previous.end(), std::size_t { 0 });
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const bool same = lowerAscii(a[i - 1]) == lowerAscii(b[j - 1]);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1) });
            if (i > 1 && j > 1 && lowerAscii(a[i - 1]) == lowerAscii(b[j - 2])
                && lowerAscii(a[i - 2]) == lowerAscii(b[j - 1]))
                current[j] = std::min(current[j], previous2[j - 2] + 1);
        }
        std::swap(previous2, previous);
        std::swap(previous, current);
    }
    return previous[n];
}

std::optional<std::string> closestMatch(std::string_view name, const std::vector<std::string_view>& candidates)
{
    const std::size_t limit = std::clamp<std::size_t>(name.size() / 3, 1, 3);
    std::optional<std::string> best;
    std::size_t bestDistance = limit + 1;
    for (std::string_view candidate : candidates) {
        // "linger" for "linger.ms", "retention" for "retention.ms": a missing suffix is a common slip.
        const bool missingSuffix = name.size() >= 4 && candidate.size() > name.size() && candidate.starts_with(name)
            && (candidate[name.size()] == '.' || candidate[name.size()] == '_');
        const std::size_t distance = missingSuffix ? 1 : editDistance(name, candidate);
        // Replacing every character is no suggestion: "2" is not a typo of "0".
        if (distance >= name.size())
            continue;
        if (distance < bestDistance) {
            bestDistance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

std::string didYouMean(std::string_view name, const std::vector<std::string_view>& candidates)
{
    const std::optional<std::string> match = closestMatch(name, candidates);
    return match ? " (did you mean \"" + *match + "\"?)" : std::string();
}

} // namespace brokerlab::scenario
