#pragma once
// The colours of health, derived from the current palette so that the views follow a light or dark theme.
// Neutral surfaces come straight from palette roles; the four state colours have a light-theme and a dark-theme
// variant chosen for contrast against Base. Colour is never the only cue: every state also has a shape and a word.

#include "replicastate.h"

#include <QColor>
#include <QPalette>

namespace brokerlab::ui {

struct StatusColors {
    bool dark = false;
    QColor leader;
    QColor inSync;
    QColor outOfSync; // also fenced brokers and under-replicated partitions
    QColor offline; // also offline brokers and offline partitions
    QColor warningTint; // row backgrounds: the state colour, faint enough for text on top
    QColor errorTint;
    QColor text;
    QColor mutedText;
    QColor base;
    QColor alternateBase;
    QColor band; // topic rows and the pinned header
    QColor line;
    QColor selection;
    QColor highlightFill;

    static StatusColors from(const QPalette& palette);
    QColor forState(ReplicaState state) const;
};

} // namespace brokerlab::ui
