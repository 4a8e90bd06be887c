#pragma once
// The speed slider is logarithmic: 0.1x to 100x spans three decades, and a linear slider would spend almost all
// of its travel above 10x. Plain math, unit-tested, so the toolbar only wires it up.

#include <algorithm>
#include <cmath>

namespace brokerlab::ui {

struct SpeedScale {
    static constexpr double kMinimum = 0.1;
    static constexpr double kMaximum = 100.0;
    static constexpr int kStepsPerDecade = 100;
    static constexpr int kSliderMaximum = 3 * kStepsPerDecade; // 0.1 -> 0, 1 -> 100, 10 -> 200, 100 -> 300

    static int toSlider(double speed)
    {
        const double clamped = std::clamp(speed, kMinimum, kMaximum);
        return static_cast<int>(std::lround((std::log10(clamped) + 1.0) * kStepsPerDecade));
    }

    static double fromSlider(int value)
    {
        const int clamped = std::clamp(value, 0, kSliderMaximum);
        const double speed = std::pow(10.0, static_cast<double>(clamped) / kStepsPerDecade - 1.0);
        // Snap to the round factors people aim for (1x, 2x, 10x) when the slider lands within a hair of them.
        const double rounded = speed >= 10 ? std::round(speed)
            : speed >= 1                   ? std::round(speed * 10) / 10
                                           : std::round(speed * 100) / 100;
        return std::clamp(rounded, kMinimum, kMaximum);
    }
};

} // namespace brokerlab::ui
