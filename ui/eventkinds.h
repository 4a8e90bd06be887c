#pragma once
// Plain-words explanations of timeline event kinds, for tooltips. The engine names events with dotted Kafka-ish
// kinds ("isr.shrink"); a newcomer needs a sentence about what happened and why it matters.

#include <QString>

namespace brokerlab::ui {

// An empty string for kinds without an explanation yet.
QString eventKindExplanation(const QString& kind);
// The family of a kind: "replica.became_leader" -> "replica".
QString eventKindFamily(const QString& kind);

} // namespace brokerlab::ui
