#include "timelinepanel.h"

#include "eventkinds.h"
#include "formatting.h"
#include "timelinefilterproxy.h"
#include "timelinemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace brokerlab::ui {

TimelinePanel::TimelinePanel(TimelineModel* model, QWidget* parent)
    : QWidget(parent)
    , model_(model)
    , proxy_(new TimelineFilterProxy(this))
    , filter_(new QLineEdit(this))
    , kinds_(new QComboBox(this))
    , count_(new QLabel(this))
    , view_(new QTableView(this))
{
    proxy_->setSourceModel(model_);

    filter_->setPlaceholderText(tr("Filter events\u2026"));
    filter_->setClearButtonEnabled(true);
    filter_->setToolTip(
        tr("Shows only events whose time, kind, broker, partition, client or message contains this text"));
    filter_->setObjectName(QStringLiteral("timelineFilter"));
    kinds_->setToolTip(tr("Shows only one kind of event, or one family such as every broker event"));
    kinds_->setObjectName(QStringLiteral("timelineKind"));
    kinds_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    count_->setForegroundRole(QPalette::PlaceholderText);

    view_->setModel(proxy_);
    view_->setObjectName(QStringLiteral("timelineView"));
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    view_->setWordWrap(false);
    view_->setShowGrid(false);
    view_->verticalHeader()->hide();
    // Uniform rows: with 100,000 events the view must not measure each row.
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
    QHeaderView* header = view_->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const int digit = view_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(TimelineModel::TimeColumn, digit * 10);
    header->resizeSection(TimelineModel::KindColumn, digit * 19);
    header->resizeSection(TimelineModel::BrokerColumn, digit * 7);
    header->resizeSection(TimelineModel::PartitionColumn, digit * 16);
    header->resizeSection(TimelineModel::ClientColumn, digit * 12);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(filter_, 1);
    bar->addWidget(kinds_);
    bar->addWidget(count_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);

    // Filtering 100,000 rows takes a moment: wait until typing pauses.
    filterDelay_.setSingleShot(true);
    filterDelay_.setInterval(150);
    connect(filter_, &QLineEdit::textChanged, &filterDelay_, qOverload<>(&QTimer::start));
    connect(&filterDelay_, &QTimer::timeout, this, [this] {
        proxy_->setText(filter_->text());
        updateCount();
    });
    connect(kinds_, &QComboBox::currentIndexChanged, this, [this] {
        proxy_->setKind(kinds_->currentData().toString());
        updateCount();
    });
    connect(model_, &TimelineModel::kindsChanged, this, &TimelinePanel::refillKinds);
    connect(model_, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* scroll = view_->verticalScrollBar();
        following_ = scroll->value() >= scroll->maximum() - 2;
    });
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] {
        if (following_)
            view_->scrollToBottom();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, &TimelinePanel::updateCount);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &TimelinePanel::updateCount);
    connect(model_, &QAbstractItemModel::modelReset, this, &TimelinePanel::updateCount);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TimelinePanel::onSelectionChanged);
    refillKinds();
    updateCount();
}

void TimelinePanel::refillKinds()
{
    const QString current = kinds_->currentData().toString();
    const QSignalBlocker blocker(kinds_);
    kinds_->clear();
    kinds_->addItem(tr("All kinds"), QString());
    QString lastFamily;
    for (const QString& kind : model_->kinds()) {
        const QString family = eventKindFamily(kind);
        if (family != lastFamily) {
            kinds_->addItem(tr("%1 \u2014 all").arg(family), QString(family + QLatin1Char('.')));
            lastFamily = family;
        }
        const int row = kinds_->count();
        kinds_->addItem(QStringLiteral("    ") + kind, kind);
        const QString explanation = eventKindExplanation(kind);
        if (!explanation.isEmpty())
            kinds_->setItemData(row, explanation, Qt::ToolTipRole);
    }
    const int index = kinds_->findData(current);
    kinds_->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0 && !current.isEmpty())
        proxy_->setKind(QString()); // the filtered kind is gone (a reset cleared the timeline)
}

void TimelinePanel::updateCount()
{
    const int total = model_->rowCount();
    const int shown = proxy_->rowCount();
    count_->setText(shown == total ? tr("%n event(s)", nullptr, total)
                                   : tr("%1 of %2 events").arg(formatCount(shown), formatCount(total)));
    if (model_->dropped() > 0)
        count_->setToolTip(tr("%1 older events were dropped to keep the timeline at %2 rows")
                               .arg(formatCount(static_cast<std::int64_t>(model_->dropped())),
                                   formatCount(static_cast<std::int64_t>(model_->capacity()))));
}

void TimelinePanel::onSelectionChanged()
{
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        emit eventSelected({});
        return;
    }
    const sim::Event& event = model_->event(proxy_->mapToSource(rows.front()).row());
    emit eventSelected(ClusterItem::fromEventFields(event.topic, event.partition, event.broker));
}

} // namespace brokerlab::ui
