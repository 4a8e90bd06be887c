#pragma once
// Kafka's classic consumer-group state machine drawn as boxes and arrows (Empty, PreparingRebalance,
// CompletingRebalance, Stable, Dead) with the current state filled. Each box's tooltip explains the state.
// The geometry is a plain function so it can be checked without painting.

#include <QRectF>
#include <QWidget>

#include <array>

namespace brokerlab::ui {

struct GroupStateGeometry {
    std::array<QRectF, 5> boxes; // indexed like cluster::GroupState
    static GroupStateGeometry compute(const QSizeF& size);
    int stateAt(const QPointF& point) const; // -1: none
};

class GroupStateDiagram : public QWidget {
    Q_OBJECT
public:
    explicit GroupStateDiagram(QWidget* parent = nullptr);

    // `state` indexes cluster::GroupState; -1 when the group is not served right now.
    void setState(int state, const QString& caption);
    int state() const { return state_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    int state_ = -1;
    QString caption_;
};

} // namespace brokerlab::ui
