#include "statuscolors.h"

namespace brokerlab::ui {

namespace {

QColor mix(const QColor& a, const QColor& b, double weightOfB)
{
    const double w = weightOfB;
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - w) + b.redF() * w),
        static_cast<float>(a.greenF() * (1 - w) + b.greenF() * w),
        static_cast<float>(a.blueF() * (1 - w) + b.blueF() * w));
}

} // namespace

StatusColors StatusColors::from(const QPalette& palette)
{
    StatusColors c;
    c.base = palette.color(QPalette::Base);
    c.text = palette.color(QPalette::Text);
    c.dark = c.base.lightness() < 128;
    // Hues after the common "good / attention / failure" conventions, darker on light backgrounds and lighter on
    // dark ones so each keeps a contrast ratio near 4.5:1 against Base.
    c.leader = c.dark ? QColor(0xb3, 0x92, 0xf0) : QColor(0x6f, 0x42, 0xc1);
    c.inSync = c.dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37);
    c.outOfSync = c.dark ? QColor(0xf0, 0x88, 0x3e) : QColor(0xbc, 0x4c, 0x00);
    c.offline = c.dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xcf, 0x22, 0x2e);
    c.warningTint = mix(c.base, c.outOfSync, c.dark ? 0.22 : 0.14);
    c.errorTint = mix(c.base, c.offline, c.dark ? 0.24 : 0.14);
    c.mutedText = mix(c.base, c.text, 0.68);
    c.alternateBase = palette.color(QPalette::AlternateBase);
    if (c.alternateBase == c.base)
        c.alternateBase = mix(c.base, c.text, 0.04);
    c.band = mix(c.base, c.text, c.dark ? 0.10 : 0.07);
    c.line = mix(c.base, c.text, 0.22);
    c.selection = palette.color(QPalette::Highlight);
    c.highlightFill = c.selection;
    c.highlightFill.setAlpha(60);
    return c;
}

QColor StatusColors::forState(ReplicaState state) const
{
    switch (state) {
    case ReplicaState::Leader:
        return leader;
    case ReplicaState::InSyncFollower:
        return inSync;
    case ReplicaState::OutOfSync:
        return outOfSync;
    case ReplicaState::Offline:
        return offline;
    case ReplicaState::Absent:
        break;
    }
    return line;
}

} // namespace brokerlab::ui
