#include "networkfaultdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace brokerlab::ui {

QString NetworkFaultDialog::nodeName(std::int32_t node)
{
    return node <= 0 ? tr("controller %1").arg(-node) : tr("broker %1").arg(node);
}

NetworkFaultDialog::NetworkFaultDialog(
    Mode mode, std::vector<std::int32_t> brokers, std::int32_t controllers, QWidget* parent)
    : QDialog(parent)
    , mode_(mode)
    , message_(new QLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("networkFaultDialog"));
    std::vector<std::int32_t> nodes;
    for (std::int32_t voter = 0; voter < controllers; ++voter)
        nodes.push_back(-voter);
    nodes.insert(nodes.end(), brokers.begin(), brokers.end());
    message_->setObjectName(QStringLiteral("message"));
    message_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    if (mode_ == Mode::Partition) {
        setWindowTitle(tr("Partition the Network"));
        auto* intro = new QLabel(tr("Nodes on one side cannot reach nodes on the other; each side still talks within "
                                    "itself. Put the controller with a minority of brokers to watch the others get "
                                    "fenced, or split the controller quorum to see who can still elect a leader."),
            this);
        intro->setWordWrap(true);
        layout->addWidget(intro);
        auto* sides = new QHBoxLayout;
        auto makeSide = [&](const QString& title, const QString& name, bool firstHalf) {
            auto* box = new QVBoxLayout;
            box->addWidget(new QLabel(title, this));
            auto* list = new QListWidget(this);
            list->setObjectName(name);
            for (std::size_t i = 0; i < nodes.size(); ++i) {
                auto* item = new QListWidgetItem(nodeName(nodes[i]), list);
                item->setData(Qt::UserRole, nodes[i]);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                // A useful default: the first broker (and nothing else) alone on side A.
                const bool checked = firstHalf ? (!brokers.empty() && nodes[i] == brokers.front())
                                               : !(!brokers.empty() && nodes[i] == brokers.front());
                item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            }
            connect(list, &QListWidget::itemChanged, this, &NetworkFaultDialog::validate);
            box->addWidget(list);
            sides->addLayout(box);
            return list;
        };
        sideA_ = makeSide(tr("Side A"), QStringLiteral("sideA"), true);
        sideB_ = makeSide(tr("Side B"), QStringLiteral("sideB"), false);
        layout->addLayout(sides);
    } else {
        setWindowTitle(tr("Slow or Lossy Link"));
        auto* intro = new QLabel(tr("Makes the link between two nodes slower or lossy. Kafka notices latency through "
                                    "request.timeout.ms and replica.lag.time.max.ms; lost packets are retransmitted "
                                    "as TCP would, so they show as latency spikes."),
            this);
        intro->setWordWrap(true);
        layout->addWidget(intro);
        from_ = new QComboBox(this);
        from_->setObjectName(QStringLiteral("from"));
        to_ = new QComboBox(this);
        to_->setObjectName(QStringLiteral("to"));
        for (std::int32_t node : nodes) {
            from_->addItem(nodeName(node), node);
            to_->addItem(nodeName(node), node);
        }
        to_->setCurrentIndex(std::min(to_->count() - 1, from_->currentIndex() + 1));
        if (!brokers.empty()) {
            from_->setCurrentIndex(from_->findData(brokers.front()));
            to_->setCurrentIndex(brokers.size() > 1 ? to_->findData(brokers[1]) : 0);
        }
        both_ = new QCheckBox(tr("Both directions"), this);
        both_->setObjectName(QStringLiteral("bothDirections"));
        both_->setChecked(true);
        latency_ = new QDoubleSpinBox(this);
        latency_->setObjectName(QStringLiteral("latencyMs"));
        latency_->setRange(0, 60000);
        latency_->setSuffix(tr(" ms"));
        latency_->setValue(200);
        latency_->setToolTip(tr("One-way delay of every message on this link"));
        jitter_ = new QDoubleSpinBox(this);
        jitter_->setObjectName(QStringLiteral("jitterMs"));
        jitter_->setRange(0, 60000);
        jitter_->setSuffix(tr(" ms"));
        jitter_->setValue(50);
        jitter_->setToolTip(tr("A random extra delay, up to this much, per message"));
        loss_ = new QDoubleSpinBox(this);
        loss_->setObjectName(QStringLiteral("lossPercent"));
        loss_->setRange(0, 100);
        loss_->setSuffix(tr(" %"));
        loss_->setToolTip(tr("The share of messages dropped (and retransmitted after the TCP timeout)"));
        auto* form = new QFormLayout;
        form->addRow(tr("From"), from_);
        form->addRow(tr("To"), to_);
        form->addRow(QString(), both_);
        form->addRow(tr("Latency"), latency_);
        form->addRow(tr("Jitter"), jitter_);
        form->addRow(tr("Loss"), loss_);
        layout->addLayout(form);
        connect(from_, &QComboBox::currentIndexChanged, this, &NetworkFaultDialog::validate);
        connect(to_, &QComboBox::currentIndexChanged, this, &NetworkFaultDialog::validate);
    }
    layout->addWidget(message_);
    buttons_->setObjectName(QStringLiteral("buttons"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons_);
    validate();
}

namespace {
std::set<std::int32_t> checkedNodes(const QListWidget* list)
{
    std::set<std::int32_t> nodes;
    for (int i = 0; list && i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            nodes.insert(list->item(i)->data(Qt::UserRole).toInt());
    return nodes;
}
} // namespace

std::set<std::int32_t> NetworkFaultDialog::sideA() const { return checkedNodes(sideA_); }
std::set<std::int32_t> NetworkFaultDialog::sideB() const { return checkedNodes(sideB_); }
std::int32_t NetworkFaultDialog::from() const { return from_ ? from_->currentData().toInt() : 0; }
std::int32_t NetworkFaultDialog::to() const { return to_ ? to_->currentData().toInt() : 0; }
bool NetworkFaultDialog::bothDirections() const { return both_ && both_->isChecked(); }

sim::LinkSpec NetworkFaultDialog::link() const
{
    sim::LinkSpec spec;
    if (latency_) {
        spec.latencyMs = latency_->value();
        spec.jitterMs = jitter_->value();
        spec.loss = loss_->value() / 100.0;
    }
    return spec;
}

void NetworkFaultDialog::validate()
{
    QString problem;
    if (mode_ == Mode::Partition) {
        const auto a = sideA(), b = sideB();
        if (a.empty() || b.empty())
            problem = tr("Each side needs at least one node.");
        for (std::int32_t node : a)
            if (b.count(node) != 0)
                problem = tr("%1 is on both sides; a node can be on one side only.").arg(nodeName(node));
    } else if (from() == to()) {
        problem = tr("Pick two different nodes.");
    }
    valid_ = problem.isEmpty();
    message_->setText(problem);
    message_->setVisible(!valid_);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid_);
}

QString NetworkFaultDialog::description() const
{
    if (mode_ == Mode::Partition) {
        QStringList a, b;
        for (std::int32_t node : sideA())
            a << nodeName(node);
        for (std::int32_t node : sideB())
            b << nodeName(node);
        return tr("partition the network between {%1} and {%2}")
            .arg(a.join(QStringLiteral(", ")), b.join(QStringLiteral(", ")));
    }
    return tr("link %1 %2 %3: %4 ms latency, %5 ms jitter, %6% loss")
        .arg(nodeName(from()), bothDirections() ? QStringLiteral("\u2194") : QStringLiteral("\u2192"), nodeName(to()))
        .arg(link().latencyMs)
        .arg(link().jitterMs)
        .arg(link().loss * 100);
}

std::function<std::string(driver::Engine&)> NetworkFaultDialog::command() const
{
    if (mode_ == Mode::Partition)
        return [a = sideA(), b = sideB()](driver::Engine& engine) {
            engine.partitionNetwork(a, b);
            return std::string();
        };
    return [from = from(), to = to(), link = link(), both = bothDirections()](driver::Engine& engine) {
        engine.setLinkFault(from, to, link, both);
        return std::string();
    };
}

std::function<std::string(driver::Engine&)> NetworkFaultDialog::inverseCommand() const
{
    if (mode_ == Mode::Partition)
        return [a = sideA(), b = sideB()](driver::Engine& engine) {
            engine.healPartition(a, b);
            return std::string();
        };
    return [from = from(), to = to(), both = bothDirections()](driver::Engine& engine) {
        engine.clearLinkFault(from, to, both);
        return std::string();
    };
}

QString NetworkFaultDialog::inverseDescription() const
{
    if (mode_ == Mode::Partition)
        return tr("heal the partition of the network");
    return tr("link %1 %2 %3 back to normal")
        .arg(nodeName(from()), bothDirections() ? QStringLiteral("\u2194") : QStringLiteral("\u2192"), nodeName(to()));
}

} // namespace brokerlab::ui
