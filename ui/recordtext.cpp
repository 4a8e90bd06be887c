#include "recordtext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStringDecoder>

namespace brokerlab::ui {

bool isUtf8(const std::string& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    return !decoder.hasError();
}

QString previewBytes(const std::optional<std::string>& bytes, int maxChars)
{
    if (!bytes)
        return QStringLiteral("(null)");
    if (!isUtf8(*bytes)) {
        const std::string head = bytes->substr(0, std::size_t(maxChars / 2));
        return QStringLiteral("0x") + QString::fromLatin1(QByteArray(head.data(), qsizetype(head.size())).toHex())
            + (bytes->size() > head.size() ? QStringLiteral("\u2026") : QString());
    }
    // Only the head is decoded: a 1 MB value must not cost a 1 MB string per painted cell.
    const std::size_t take = std::min(bytes->size(), std::size_t(maxChars) * 4);
    QString text = QString::fromUtf8(bytes->data(), qsizetype(take)).left(maxChars);
    text.replace(QLatin1Char('\n'), QStringLiteral("\u23CE")).replace(QLatin1Char('\t'), QStringLiteral("\u21E5"));
    if (take < bytes->size() || text.size() == maxChars)
        text += QStringLiteral("\u2026");
    return text;
}

QString formatTimestamp(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString headersSummary(const std::vector<log::RecordHeader>& headers)
{
    QStringList parts;
    for (const auto& header : headers)
        parts << QString::fromStdString(header.key) + QLatin1Char('=') + previewBytes(header.value, 40);
    return parts.join(QStringLiteral(", "));
}

QString prettyText(const std::optional<std::string>& bytes)
{
    if (!bytes || !isUtf8(*bytes))
        return {};
    const QByteArray raw(bytes->data(), qsizetype(bytes->size()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(raw, &error);
    if (error.error == QJsonParseError::NoError && (document.isObject() || document.isArray()))
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(raw);
}

QString hexDump(const std::optional<std::string>& bytes, std::int64_t maxBytes)
{
    if (!bytes)
        return {};
    QString out;
    const std::int64_t size = std::min<std::int64_t>(std::int64_t(bytes->size()), maxBytes);
    for (std::int64_t line = 0; line < size; line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (std::int64_t i = line; i < line + 16; ++i) {
            if (i < size) {
                const auto byte = static_cast<unsigned char>((*bytes)[std::size_t(i)]);
                out += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += (byte >= 0x20 && byte < 0x7F) ? QLatin1Char(char(byte)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == line + 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1Char(' ') + ascii + QLatin1Char('\n');
    }
    if (size < std::int64_t(bytes->size()))
        out += QStringLiteral("\u2026\n");
    return out;
}

std::int64_t recordBytes(const log::Record& record)
{
    std::int64_t size = std::int64_t(record.key ? record.key->size() : 0) + (record.value ? record.value->size() : 0);
    for (const auto& header : record.headers)
        size += std::int64_t(header.key.size()) + (header.value ? std::int64_t(header.value->size()) : 0);
    return size;
}

} // namespace brokerlab::ui
