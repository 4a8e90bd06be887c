#pragma once
// The key to the cluster view's shapes and colours, drawn with the same glyph code as the view. Entries wrap onto
// more lines when the window is narrow; each has a tooltip that explains the Kafka term in plain words.

#include "replicastate.h"

#include <QRectF>
#include <QString>
#include <QWidget>

#include <vector>

namespace brokerlab::ui {

class LegendWidget : public QWidget {
    Q_OBJECT
public:
    explicit LegendWidget(QWidget* parent = nullptr);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    enum class Swatch { Replica, LogBar, WarningRow, ErrorRow, FencedBroker };
    struct Entry {
        Swatch swatch;
        ReplicaState state;
        QString text;
        QString toolTip;
    };
    // Positions of the entries when wrapped to `width`; also returns the total height.
    std::vector<QRectF> flow(int width, int* height) const;

    std::vector<Entry> entries_;
};

} // namespace brokerlab::ui
