#pragma once
// The only place that knows Qt Charts. Qt Charts is deprecated after Qt 6.10 in favour of Qt Graphs (not packaged
// in Debian 12); keeping it behind this small interface means a port touches one file.
// Each update replaces a series' points in one call: appending point by point to a live series is quadratic.

#include "metricsrecorder.h"

#include <QColor>
#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <vector>

class QPalette;
class QWidget;

namespace brokerlab::ui {

class ChartAdapter : public QObject {
    Q_OBJECT
public:
    ChartAdapter(const QString& title, const QString& valueTitle, QWidget* parent);
    ~ChartAdapter() override;

    QWidget* widget() const;
    // Shows exactly these series (others are removed), each with one replace(); x is virtual seconds.
    void setSeries(const std::vector<SeriesData>& series, double xMaximum);
    // Fixed colours for named series (the replication chart uses the state colours); others get a palette.
    void setSeriesColor(const QString& name, const QColor& color) { fixedColors_[name] = color; }
    void applyPalette(const QPalette& palette);

    int seriesCount() const;
    qsizetype pointCount(const QString& name) const; // -1 when there is no such series

private:
    void applySeriesColors();

    struct Private;
    std::unique_ptr<Private> d;
    std::map<QString, QColor> fixedColors_;
};

} // namespace brokerlab::ui
