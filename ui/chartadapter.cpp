#include "chartadapter.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPalette>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace brokerlab::ui {

namespace {

// Okabe and Ito's colour-blind-safe qualitative palette (their yellow is dropped: it vanishes on white).
QColor seriesColor(std::size_t index, bool dark)
{
    static const QColor light[] = { QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00), QColor(0x00, 0x9e, 0x73),
        QColor(0xcc, 0x79, 0xa7), QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9) };
    QColor color = light[index % std::size(light)];
    return dark ? color.lighter(135) : color;
}

// 1, 2 or 5 times a power of ten, so that about `ticks` ticks cover `range`.
double niceStep(double range, int ticks)
{
    const double raw = range / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalized = raw / magnitude;
    return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
}

QColor mix(const QColor& a, const QColor& b, double w)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - w) + b.redF() * w),
        static_cast<float>(a.greenF() * (1 - w) + b.greenF() * w),
        static_cast<float>(a.blueF() * (1 - w) + b.blueF() * w));
}

} // namespace

struct ChartAdapter::Private {
    QWidget* container = nullptr;
    QLabel* legend = nullptr; // Qt Charts' legend truncates names instead of wrapping: ours wraps
    QChartView* view = nullptr;
    QChart* chart = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::map<QString, QLineSeries*> series;
    bool dark = false;
};

ChartAdapter::ChartAdapter(const QString& title, const QString& valueTitle, QWidget* parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->chart = new QChart;
    d->chart->setTitle(title);
    d->chart->setAnimationOptions(QChart::NoAnimation); // animations replay on every replace()
    d->chart->legend()->hide();
    d->chart->setMargins(QMargins(4, 4, 4, 4));
    d->chart->layout()->setContentsMargins(0, 0, 0, 0);
    d->chart->setBackgroundRoundness(0);
    d->x = new QValueAxis;
    d->x->setLabelFormat(QStringLiteral("%.0f s"));
    d->x->setTickType(QValueAxis::TicksDynamic);
    d->x->setTickAnchor(0);
    d->x->setTickInterval(2);
    d->x->setRange(0, 10);
    d->y = new QValueAxis;
    d->y->setLabelFormat(QStringLiteral("%.0f"));
    d->y->setTitleText(valueTitle);
    d->y->setTickType(QValueAxis::TicksDynamic);
    d->y->setTickAnchor(0);
    d->y->setTickInterval(1);
    d->y->setRange(0, 4);
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    d->container = new QWidget(parent);
    d->container->setBackgroundRole(QPalette::Base); // one surface with the chart, in light and dark themes
    d->container->setAutoFillBackground(true);
    d->view = new QChartView(d->chart, d->container);
    d->view->setRenderHint(QPainter::Antialiasing);
    d->view->setMinimumSize(200, 140);
    d->legend = new QLabel(d->container);
    d->legend->setTextFormat(Qt::RichText);
    d->legend->setWordWrap(true);
    d->legend->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    d->legend->setContentsMargins(4, 0, 4, 2);
    d->legend->setForegroundRole(QPalette::Text);
    auto* layout = new QVBoxLayout(d->container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d->view, 1);
    layout->addWidget(d->legend);
    applyPalette(parent ? parent->palette() : QPalette());
}

ChartAdapter::~ChartAdapter() = default; // the view (and with it the chart) belongs to the parent widget

QWidget* ChartAdapter::widget() const { return d->container; }

void ChartAdapter::setSeries(const std::vector<SeriesData>& series, double xMaximum)
{
    // Remove series that are gone (a topic deleted, a run reset).
    for (auto it = d->series.begin(); it != d->series.end();) {
        const bool kept
            = std::any_of(series.begin(), series.end(), [&](const SeriesData& s) { return s.name == it->first; });
        if (kept) {
            ++it;
            continue;
        }
        d->chart->removeSeries(it->second);
        delete it->second;
        it = d->series.erase(it);
    }
    double yMaximum = 0;
    for (const SeriesData& data : series) {
        QLineSeries*& line = d->series[data.name];
        if (!line) {
            line = new QLineSeries;
            line->setName(data.name);
            d->chart->addSeries(line);
            line->attachAxis(d->x);
            line->attachAxis(d->y);
        }
        line->replace(data.points);
        for (const QPointF& point : data.points)
            yMaximum = std::max(yMaximum, point.y());
    }
    applySeriesColors();
    // Ticks on round values (0, 10, 20 s; 0, 250, 500/s) instead of the range divided into equal parts.
    // As many x ticks as fit: a label such as "120 s" needs about 70 px with its gap, and Qt Charts
    // elides labels that do not fit ("1…") instead of dropping some.
    const int xTicks = std::clamp(d->view->width() / 70, 2, 6);
    const double xStep = niceStep(std::max(10.0, xMaximum), xTicks);
    d->x->setTickInterval(xStep);
    d->x->setRange(0, std::max(10.0, std::ceil(xMaximum))); // the line ends at the right edge: that is "now"
    // Counts below a handful keep whole-number ticks; every axis keeps some headroom above the highest point.
    const double yStep = std::max(1.0, niceStep(std::max(4.0, yMaximum * 1.1), 4));
    d->y->setTickInterval(yStep);
    d->y->setRange(0, std::max(1.0, std::ceil(std::max(4.0, yMaximum * 1.1) / yStep)) * yStep);
}

void ChartAdapter::applyPalette(const QPalette& palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    d->dark = base.lightness() < 128;
    d->chart->setTheme(d->dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    d->chart->setBackgroundBrush(base);
    d->chart->setPlotAreaBackgroundVisible(false);
    d->chart->setTitleBrush(text);
    QFont titleFont = d->chart->titleFont();
    titleFont.setBold(true);
    d->chart->setTitleFont(titleFont);
    d->chart->legend()->setLabelColor(text);
    const QColor grid = mix(base, text, 0.15);
    const QColor muted = mix(base, text, 0.7);
    for (QValueAxis* axis : { d->x, d->y }) {
        axis->setLabelsColor(muted);
        axis->setTitleBrush(muted);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(mix(base, text, 0.3));
        axis->setMinorGridLineVisible(false);
    }
    d->view->setBackgroundBrush(base);
    applySeriesColors(); // setTheme() resets series pens
}

void ChartAdapter::applySeriesColors()
{
    // Colours follow the series' order, which is sorted by name: the same topic keeps its colour.
    std::size_t index = 0;
    QStringList entries;
    for (auto& [name, line] : d->series) {
        auto fixed = fixedColors_.find(name);
        const QColor color = fixed != fixedColors_.end() ? fixed->second : seriesColor(index++, d->dark);
        QPen pen(color);
        pen.setWidthF(2.0);
        line->setPen(pen);
        // Non-breaking inside an entry, a normal space between entries: the label wraps between series only.
        // Hyphens become non-breaking ones too: "sensor-readings" must not split over two lines.
        QString shown = name.toHtmlEscaped();
        shown.replace(QLatin1Char('-'), QChar(0x2011));
        entries << QStringLiteral("<span style='color:%1'>\u25a0</span>&nbsp;%2").arg(color.name(), shown);
    }
    const QString text = entries.join(QStringLiteral(" &nbsp; "));
    if (d->legend->text() != text)
        d->legend->setText(text);
}

int ChartAdapter::seriesCount() const { return static_cast<int>(d->series.size()); }

qsizetype ChartAdapter::pointCount(const QString& name) const
{
    auto it = d->series.find(name);
    return it == d->series.end() ? -1 : it->second->count();
}

} // namespace brokerlab::ui
