#include "createtopicdialog.h"

#include "cluster/controller.h"
#include "protocol/configdefs.h"
#include "scenario/configapply.h"
#include "statuscolors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace brokerlab::ui {

namespace {

// The registry's explanation of a config, its valid values and Kafka's default, for a tooltip.
QString configToolTip(std::string_view name, protocol::ConfigScope scope)
{
    const protocol::ConfigDef* def = protocol::findConfigDef(name, scope);
    if (!def)
        return {};
    QString text = QString::fromUtf8(def->doc.data(), static_cast<qsizetype>(def->doc.size()));
    const std::string valid = protocol::validValuesText(*def);
    if (!valid.empty())
        text += QLatin1Char('\n') + CreateTopicDialog::tr("Valid values: %1").arg(QString::fromStdString(valid));
    const std::string_view effective = def->effective();
    if (!effective.empty())
        text += QLatin1Char('\n')
            + CreateTopicDialog::tr("Kafka's default: %1")
                  .arg(QString::fromUtf8(effective.data(), static_cast<qsizetype>(effective.size())));
    return text;
}

QString configValue(const cluster::TopicConfig& config, std::string_view name)
{
    const std::optional<std::string> text = scenario::configText(config, name);
    return text ? QString::fromStdString(*text) : QString();
}

} // namespace

CreateTopicDialog::CreateTopicDialog(
    const cluster::BrokerConfig& defaults, std::set<std::string> existing, int onlineBrokers, QWidget* parent)
    : QDialog(parent)
    , defaults_(defaults.topicDefaults)
    , existing_(std::move(existing))
    , onlineBrokers_(onlineBrokers)
    , name_(new QLineEdit(this))
    , partitions_(new QSpinBox(this))
    , replicationFactor_(new QSpinBox(this))
    , retentionMs_(new QLineEdit(this))
    , cleanupPolicy_(new QComboBox(this))
    , minInsyncReplicas_(new QSpinBox(this))
    , nameMessage_(messageLabel())
    , replicationMessage_(messageLabel())
    , retentionMessage_(messageLabel())
    , minInsyncMessage_(messageLabel())
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("createTopicDialog"));
    setWindowTitle(tr("Create Topic"));

    name_->setObjectName(QStringLiteral("topicName"));
    name_->setPlaceholderText(tr("for example payments"));
    name_->setMaxLength(249);
    const QString nameTip = tr("The topic's name: ASCII letters, digits, '.', '_' and '-', at most 249 characters.");

    partitions_->setObjectName(QStringLiteral("partitions"));
    partitions_->setRange(1, 10000);
    partitions_->setValue(std::max(1, defaults.numPartitions));
    const QString partitionsTip = tr("How many partitions (ordered logs) the topic has. More partitions let more "
                                     "consumers of one group read in parallel.")
        + QStringLiteral("\n\nnum.partitions: ") + configToolTip("num.partitions", protocol::ConfigScope::Broker);

    replicationFactor_->setObjectName(QStringLiteral("replicationFactor"));
    replicationFactor_->setRange(1, std::max(1, onlineBrokers));
    replicationFactor_->setValue(std::clamp<int>(defaults.defaultReplicationFactor, 1, std::max(1, onlineBrokers)));
    const QString replicationTip = tr("How many brokers keep a copy of each partition; at most the number of online "
                                      "brokers (%n now).",
                                       nullptr, onlineBrokers)
        + QStringLiteral("\n\ndefault.replication.factor: ")
        + configToolTip("default.replication.factor", protocol::ConfigScope::Broker);

    retentionMs_->setObjectName(QStringLiteral("retentionMs"));
    retentionMs_->setText(configValue(defaults_, "retention.ms"));
    cleanupPolicy_->setObjectName(QStringLiteral("cleanupPolicy"));
    cleanupPolicy_->addItems({ QStringLiteral("delete"), QStringLiteral("compact"), QStringLiteral("compact,delete") });
    const int policy = cleanupPolicy_->findText(configValue(defaults_, "cleanup.policy"));
    cleanupPolicy_->setCurrentIndex(policy < 0 ? 0 : policy);
    minInsyncReplicas_->setObjectName(QStringLiteral("minInsyncReplicas"));
    minInsyncReplicas_->setRange(1, 32767);
    minInsyncReplicas_->setValue(std::max(1, defaults_.minInsyncReplicas));

    auto* intro = new QLabel(tr("The controller creates the topic and places its replicas on the online brokers, as "
                                "for a CreateTopics request. Hover over a field to see what it means."),
        this);
    intro->setWordWrap(true);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    // Kafka's own names label the configs: they are what a person will meet in Kafka's documentation and tools.
    auto addRow = [&](const QString& label, QWidget* field, const QString& tip, QLabel* message) {
        auto* labelWidget = new QLabel(label, this);
        labelWidget->setBuddy(field);
        labelWidget->setToolTip(tip);
        field->setToolTip(tip);
        form->addRow(labelWidget, field);
        if (message)
            form->addRow(QString(), message);
    };
    addRow(tr("Topic &name:"), name_, nameTip, nameMessage_);
    addRow(tr("&Partitions:"), partitions_, partitionsTip, nullptr);
    addRow(tr("&Replication factor:"), replicationFactor_, replicationTip, replicationMessage_);
    addRow(QStringLiteral("retention.ms:"), retentionMs_, configToolTip("retention.ms", protocol::ConfigScope::Topic),
        retentionMessage_);
    addRow(QStringLiteral("cleanup.policy:"), cleanupPolicy_,
        configToolTip("cleanup.policy", protocol::ConfigScope::Topic), nullptr);
    addRow(QStringLiteral("min.insync.replicas:"), minInsyncReplicas_,
        configToolTip("min.insync.replicas", protocol::ConfigScope::Topic), minInsyncMessage_);

    buttons_->setObjectName(QStringLiteral("buttons"));
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(buttons_);

    connect(name_, &QLineEdit::textChanged, this, &CreateTopicDialog::validate);
    connect(retentionMs_, &QLineEdit::textChanged, this, &CreateTopicDialog::validate);
    connect(replicationFactor_, &QSpinBox::valueChanged, this, &CreateTopicDialog::validate);
    connect(minInsyncReplicas_, &QSpinBox::valueChanged, this, &CreateTopicDialog::validate);
    setMinimumWidth(std::max(520, fontMetrics().averageCharWidth() * 64));
    validate();
    resize(minimumWidth(), heightForWidth(minimumWidth()));
}

QLabel* CreateTopicDialog::messageLabel()
{
    auto* label = new QLabel(this);
    label->setWordWrap(true);
    // As wide as the field above it: a wrapped label otherwise settles on a narrow column.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    label->setSizePolicy(policy);
    label->hide();
    return label;
}

void CreateTopicDialog::showMessage(QLabel* label, const QString& text, bool error)
{
    label->setVisible(!text.isEmpty());
    if (text.isEmpty())
        return;
    const StatusColors colors = StatusColors::from(palette());
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, error ? colors.offline : colors.outOfSync);
    label->setPalette(palette);
    // The symbol repeats what the colour says, for anyone who cannot tell the colours apart.
    label->setText((error ? QStringLiteral("\u2715 ") : QStringLiteral("\u26a0 ")) + text);
}

void CreateTopicDialog::validate()
{
    bool valid = true;

    const std::string name = name_->text().toStdString();
    QString nameError;
    if (name.empty()) {
        valid = false; // nothing typed yet: no message, just no OK
    } else if (auto reason = cluster::Controller::invalidTopicNameReason(name)) {
        nameError = QString::fromStdString(*reason);
    } else if (existing_.count(name) != 0) {
        nameError = tr("A topic named '%1' already exists.").arg(name_->text());
    }
    showMessage(nameMessage_, nameError, true);
    valid = valid && nameError.isEmpty();

    QString replicationError;
    if (onlineBrokers_ < 1)
        replicationError = tr("No broker is online, so no replica can be placed.");
    showMessage(replicationMessage_, replicationError, true);
    valid = valid && replicationError.isEmpty();

    cluster::TopicConfig probe = defaults_;
    const std::string retentionError = scenario::setConfigText(
        probe, protocol::ConfigScope::Topic, "retention.ms", retentionMs_->text().trimmed().toStdString());
    showMessage(retentionMessage_, QString::fromStdString(retentionError), true);
    valid = valid && retentionError.empty();

    // Kafka accepts this combination, so it is a warning, not an error: the point is to see what happens.
    QString minInsyncWarning;
    if (minInsyncReplicas_->value() > replicationFactor_->value())
        minInsyncWarning = tr("Higher than the replication factor: every write with acks=all will fail with "
                              "NOT_ENOUGH_REPLICAS.");
    showMessage(minInsyncMessage_, minInsyncWarning, false);

    valid_ = valid;
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid);

    // Messages appear under the fields as they are typed: grow so that none is clipped (never shrink, which would
    // make the dialog jump while typing).
    layout()->activate();
    const int needed = hasHeightForWidth() ? heightForWidth(width()) : sizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

TopicDefinition CreateTopicDialog::definition() const
{
    TopicDefinition topic;
    topic.name = name_->text().toStdString();
    topic.partitions = partitions_->value();
    topic.replicationFactor = replicationFactor_->value();
    topic.config = defaults_;
    // Each was validated in validate(); applying through the registry keeps the canonical parsing in one place.
    scenario::setConfigText(
        topic.config, protocol::ConfigScope::Topic, "retention.ms", retentionMs_->text().trimmed().toStdString());
    scenario::setConfigText(
        topic.config, protocol::ConfigScope::Topic, "cleanup.policy", cleanupPolicy_->currentText().toStdString());
    scenario::setConfigText(
        topic.config, protocol::ConfigScope::Topic, "min.insync.replicas", std::to_string(minInsyncReplicas_->value()));
    return topic;
}

} // namespace brokerlab::ui
