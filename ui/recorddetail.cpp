#include "recorddetail.h"

#include "recordtext.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace brokerlab::ui {

namespace {

QString scalarText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String: return QLatin1Char('"') + value.toString() + QLatin1Char('"');
    case QJsonValue::Double: return QString::number(value.toDouble(), 'g', 17);
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Array: return QStringLiteral("[%1]").arg(value.toArray().size());
    case QJsonValue::Object: return QStringLiteral("{%1}").arg(value.toObject().size());
    default: return {};
    }
}

void addJson(QTreeWidgetItem* parent, const QString& name, const QJsonValue& value)
{
    auto* item = new QTreeWidgetItem(parent, { name, scalarText(value) });
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            addJson(item, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addJson(item, QStringLiteral("[%1]").arg(i), array.at(i));
    }
}

QPlainTextEdit* monospaceView(QWidget* parent)
{
    auto* view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

} // namespace

RecordDetail::RecordDetail(QWidget* parent)
    : QWidget(parent)
    , summary_(new QLabel(this))
    , tabs_(new QTabWidget(this))
    , tree_(new QTreeWidget(this))
    , pretty_(monospaceView(this))
    , hex_(monospaceView(this))
    , headers_(new QTreeWidget(this))
{
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    tree_->setHeaderLabels({ tr("Field"), tr("Value") });
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    headers_->setHeaderLabels({ tr("Header"), tr("Value") });
    headers_->setRootIsDecorated(false);
    tabs_->addTab(tree_, tr("JSON"));
    tabs_->addTab(pretty_, tr("Text"));
    tabs_->addTab(hex_, tr("Hex"));
    tabs_->addTab(headers_, tr("Headers"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(tabs_, 1);
    clear();
}

void RecordDetail::clear()
{
    summary_->setText(tr("Select a record to see it here."));
    tree_->clear();
    pretty_->clear();
    hex_->clear();
    headers_->clear();
}

void RecordDetail::showRecord(const store::StoredRecord& stored)
{
    const log::Record& record = stored.record;
    summary_->setText(tr("<b>%1</b> partition %2, offset %3 \u00b7 %4 \u00b7 key %5 \u00b7 %6 bytes")
                          .arg(QString::fromStdString(stored.topic).toHtmlEscaped())
                          .arg(stored.partition)
                          .arg(record.offset)
                          .arg(formatTimestamp(record.timestamp), previewBytes(record.key, 60).toHtmlEscaped())
                          .arg(recordBytes(record)));
    tree_->clear();
    if (record.value) {
        QJsonParseError error;
        const QJsonDocument document
            = QJsonDocument::fromJson(QByteArray(record.value->data(), qsizetype(record.value->size())), &error);
        if (error.error == QJsonParseError::NoError && !document.isNull()) {
            auto* root = new QTreeWidgetItem(tree_, { QStringLiteral("$"),
                                                        document.isObject() ? scalarText(document.object())
                                                                            : scalarText(document.array()) });
            if (document.isObject()) {
                const QJsonObject object = document.object();
                for (auto it = object.begin(); it != object.end(); ++it)
                    addJson(root, it.key(), it.value());
            } else {
                const QJsonArray array = document.array();
                for (qsizetype i = 0; i < array.size(); ++i)
                    addJson(root, QStringLiteral("[%1]").arg(i), array.at(i));
            }
            tree_->expandToDepth(1);
        } else {
            new QTreeWidgetItem(tree_, { tr("(not JSON)"), error.errorString() });
        }
    } else {
        new QTreeWidgetItem(tree_, { tr("(tombstone)"), tr("null value") });
    }
    pretty_->setPlainText(record.value ? prettyText(record.value) : tr("(null: a tombstone)"));
    hex_->setPlainText(hexDump(record.value));
    headers_->clear();
    for (const auto& header : record.headers)
        new QTreeWidgetItem(headers_, { QString::fromStdString(header.key), previewBytes(header.value, 400) });
}

} // namespace brokerlab::ui
