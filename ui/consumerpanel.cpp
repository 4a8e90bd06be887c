#include "consumerpanel.h"

#include "consumermodel.h"
#include "onscreen.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

namespace brokerlab::ui {

ConsumerPanel::ConsumerPanel(QWidget* parent)
    : QWidget(parent)
    , model_(new ConsumerModel(this))
    , view_(new QTreeView(this))
    , onScreen_(new OnScreenWatch(this, [this] {
        if (pending_)
            model_->setSnapshot(std::exchange(pending_, nullptr));
    }))
{
    view_->setObjectName(QStringLiteral("consumerView"));
    view_->setModel(model_);
    view_->setUniformRowHeights(true);
    view_->setAlternatingRowColors(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->header()->setStretchLastSection(false);
    view_->header()->setSectionResizeMode(QHeaderView::Interactive);
    view_->header()->setSectionResizeMode(ConsumerModel::PartitionsColumn, QHeaderView::Stretch);
    const int digit = view_->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    view_->header()->resizeSection(ConsumerModel::ClientColumn, digit * 22);
    view_->header()->resizeSection(ConsumerModel::GroupColumn, digit * 14);
    view_->header()->resizeSection(ConsumerModel::PositionColumn, digit * 18);
    view_->header()->resizeSection(ConsumerModel::LagColumn, digit * 10);
    // A changed assignment resets the model; show the partitions again right away.
    connect(model_, &QAbstractItemModel::modelReset, view_, &QTreeView::expandAll);

    auto* note = new QLabel(tr("Each consumer's own view: the partitions it holds and its position. The Consumer "
                               "Groups tab shows the coordinator's view, the state machine and the rebalances."),
        this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(view_, 1);
    layout->addWidget(note);
}

void ConsumerPanel::setSnapshot(const SnapshotPtr& snapshot)
{
    // Off screen (behind another tab) nobody reads the table, a row per assigned partition updated every frame: it
    // takes the newest snapshot when it comes back.
    if (snapshot && onScreen_->offScreen()) {
        pending_ = snapshot;
        return;
    }
    pending_.reset();
    model_->setSnapshot(snapshot);
}
void ConsumerPanel::clear() { model_->clear(); }

} // namespace brokerlab::ui
