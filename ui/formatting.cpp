#include "formatting.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace brokerlab::ui {

QString formatVirtualTime(std::int64_t virtualUs)
{
    const std::int64_t totalMs = std::max<std::int64_t>(0, virtualUs) / 1000;
    const std::int64_t minutes = totalMs / 60000;
    const std::int64_t seconds = (totalMs / 1000) % 60;
    const std::int64_t millis = totalMs % 1000;
    return QStringLiteral("%1:%2.%3")
        .arg(minutes, 2, 10, QLatin1Char('0'))
        .arg(seconds, 2, 10, QLatin1Char('0'))
        .arg(millis, 3, 10, QLatin1Char('0'));
}

QString formatRate(double perSecond)
{
    if (!std::isfinite(perSecond) || perSecond < 0.5)
        return QCoreApplication::translate("brokerlab::ui::Formatting", "0/s");
    if (perSecond < 10000)
        return QCoreApplication::translate("brokerlab::ui::Formatting", "%1/s").arg(std::llround(perSecond));
    return QCoreApplication::translate("brokerlab::ui::Formatting", "%1k/s")
        .arg(QLocale().toString(perSecond / 1000.0, 'f', 1));
}

QString formatCount(std::int64_t value) { return QLocale().toString(static_cast<qlonglong>(value)); }

QString formatBytes(std::int64_t bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace brokerlab::ui
