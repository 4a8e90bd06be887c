#include "clientdialogs.h"

#include "protocol/configdefs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace brokerlab::ui {

namespace {
// Kafka's legal characters for client ids and group ids we create (the same rule as topic names).
bool legalName(const QString& name)
{
    static const QRegularExpression legal(QStringLiteral("^[A-Za-z0-9._-]{1,249}$"));
    return legal.match(name).hasMatch();
}

bool contains(const std::vector<std::string>& list, const QString& value)
{
    return std::find(list.begin(), list.end(), value.toStdString()) != list.end();
}

QLabel* fieldLabel(const QString& text, const QString& tip, QWidget* buddy)
{
    auto* label = new QLabel(text);
    label->setToolTip(tip);
    label->setBuddy(buddy);
    buddy->setToolTip(tip);
    return label;
}

QLabel* messageLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("message"));
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::BrightText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(200, 40, 40));
    label->setPalette(palette);
    return label;
}
} // namespace

QString configToolTip(const char* name, int scope)
{
    const protocol::ConfigDef* def = protocol::findConfigDef(name, static_cast<protocol::ConfigScope>(scope));
    if (!def)
        return {};
    QString text = QString::fromUtf8(def->doc.data(), static_cast<qsizetype>(def->doc.size()));
    const std::string valid = protocol::validValuesText(*def);
    if (!valid.empty())
        text += QLatin1Char('\n') + ProducerDialog::tr("Valid values: %1").arg(QString::fromStdString(valid));
    const std::string_view effective = def->effective();
    if (!effective.empty())
        text += QLatin1Char('\n')
            + ProducerDialog::tr("Kafka's default: %1")
                  .arg(QString::fromUtf8(effective.data(), static_cast<qsizetype>(effective.size())));
    return text;
}

ProducerDialog::ProducerDialog(std::vector<std::string> topics, std::vector<std::string> takenIds,
    const scenario::ProducerSpec* editing, QWidget* parent)
    : QDialog(parent)
    , takenIds_(std::move(takenIds))
    , editing_(editing != nullptr)
    , id_(new QLineEdit(this))
    , topic_(new QComboBox(this))
    , rate_(new QDoubleSpinBox(this))
    , keys_(new QComboBox(this))
    , acks_(new QComboBox(this))
    , idempotence_(new QCheckBox(this))
    , lingerMs_(new QSpinBox(this))
    , batchSize_(new QSpinBox(this))
    , compression_(new QComboBox(this))
    , message_(messageLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("producerDialog"));
    setWindowTitle(editing_ ? tr("Edit Producer") : tr("Add Producer"));
    constexpr int producerScope = static_cast<int>(protocol::ConfigScope::Producer);
    const scenario::ProducerSpec start = editing ? *editing : scenario::ProducerSpec {};

    id_->setObjectName(QStringLiteral("clientId"));
    id_->setText(QString::fromStdString(start.id));
    id_->setReadOnly(editing_);
    topic_->setObjectName(QStringLiteral("topic"));
    for (const auto& topic : topics)
        topic_->addItem(QString::fromStdString(topic));
    if (editing_)
        topic_->setCurrentText(QString::fromStdString(start.topic));
    rate_->setObjectName(QStringLiteral("rate"));
    rate_->setRange(0, 1000000);
    rate_->setDecimals(0);
    rate_->setSuffix(tr(" records/s"));
    rate_->setSpecialValueText(tr("as fast as possible"));
    rate_->setValue(editing_ ? start.ratePerSec : 100);
    keys_->setObjectName(QStringLiteral("keys"));
    keys_->addItem(tr("uniform"), static_cast<int>(client::KeyDistribution::Uniform));
    keys_->addItem(tr("zipf (hot keys)"), static_cast<int>(client::KeyDistribution::Zipf));
    keys_->addItem(tr("sequential"), static_cast<int>(client::KeyDistribution::Sequential));
    keys_->addItem(tr("null (no key)"), static_cast<int>(client::KeyDistribution::Null));
    keys_->setCurrentIndex(std::max(0, keys_->findData(static_cast<int>(start.workload.keys))));
    acks_->setObjectName(QStringLiteral("acks"));
    acks_->addItem(QStringLiteral("all"), -1);
    acks_->addItem(QStringLiteral("1"), 1);
    acks_->addItem(QStringLiteral("0"), 0);
    acks_->setCurrentIndex(std::max(0, acks_->findData(static_cast<int>(start.config.acks))));
    idempotence_->setObjectName(QStringLiteral("enableIdempotence"));
    idempotence_->setChecked(start.config.enableIdempotence);
    lingerMs_->setObjectName(QStringLiteral("lingerMs"));
    lingerMs_->setRange(0, 60000);
    lingerMs_->setSuffix(tr(" ms"));
    lingerMs_->setValue(static_cast<int>(start.config.lingerMs));
    batchSize_->setObjectName(QStringLiteral("batchSize"));
    batchSize_->setRange(0, 16 * 1024 * 1024);
    batchSize_->setSuffix(tr(" bytes"));
    batchSize_->setValue(start.config.batchSize);
    compression_->setObjectName(QStringLiteral("compressionType"));
    const char* codecs[] = { "none", "gzip", "snappy", "lz4", "zstd" };
    for (int i = 0; i < 5; ++i)
        compression_->addItem(QString::fromLatin1(codecs[i]), i);
    compression_->setCurrentIndex(static_cast<int>(start.config.compression));

    auto* form = new QFormLayout;
    form->addRow(fieldLabel(QStringLiteral("client.id"),
                     tr("The producer's name. Brokers log it and quotas use it; it becomes its id in Brokerlab."), id_),
        id_);
    form->addRow(fieldLabel(tr("Topic"), tr("The topic it writes to"), topic_), topic_);
    form->addRow(fieldLabel(tr("Rate"),
                     tr("Records the application hands to send() per second of virtual time. 0: as fast as the "
                        "producer and the cluster allow."),
                     rate_),
        rate_);
    form->addRow(fieldLabel(tr("Keys"),
                     tr("How record keys are drawn. The key decides the partition: murmur2(key) % partitions, so "
                        "one key always lands in one partition and keeps its order. Zipf makes a few keys hot; "
                        "null keys use the sticky partitioner (KIP-480)."),
                     keys_),
        keys_);
    form->addRow(fieldLabel(QStringLiteral("acks"), configToolTip("acks", producerScope), acks_), acks_);
    form->addRow(fieldLabel(QStringLiteral("enable.idempotence"), configToolTip("enable.idempotence", producerScope),
                     idempotence_),
        idempotence_);
    form->addRow(
        fieldLabel(QStringLiteral("linger.ms"), configToolTip("linger.ms", producerScope), lingerMs_), lingerMs_);
    form->addRow(
        fieldLabel(QStringLiteral("batch.size"), configToolTip("batch.size", producerScope), batchSize_), batchSize_);
    form->addRow(
        fieldLabel(QStringLiteral("compression.type"), configToolTip("compression.type", producerScope), compression_),
        compression_);

    buttons_->setObjectName(QStringLiteral("buttons"));
    buttons_->button(QDialogButtonBox::Ok)->setText(editing_ ? tr("Restart with These Settings") : tr("Start"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    if (editing_) {
        auto* note = new QLabel(tr("A Kafka producer reads its configs once, when it is created. Editing stops this "
                                   "one (what it buffered is still delivered) and starts a new one with the same "
                                   "client.id and these settings."),
            this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    layout->addLayout(form);
    layout->addWidget(message_);
    layout->addWidget(buttons_);

    connect(id_, &QLineEdit::textChanged, this, &ProducerDialog::validate);
    connect(topic_, &QComboBox::currentIndexChanged, this, &ProducerDialog::validate);
    connect(acks_, &QComboBox::currentIndexChanged, this, &ProducerDialog::validate);
    connect(idempotence_, &QCheckBox::toggled, this, &ProducerDialog::validate);
    if (!editing_) {
        // Suggest a free name so that OK works at once.
        for (int n = 1;; ++n) {
            const QString candidate = QStringLiteral("producer-%1").arg(n);
            if (!contains(takenIds_, candidate)) {
                id_->setText(candidate);
                break;
            }
        }
    }
    validate();
}

void ProducerDialog::validate()
{
    QString problem;
    const QString id = id_->text().trimmed();
    if (id.isEmpty())
        problem = tr("Give the producer a client.id.");
    else if (!legalName(id))
        problem = tr("client.id may use ASCII letters, digits, '.', '_' and '-' only.");
    else if (!editing_ && contains(takenIds_, id))
        problem = tr("A producer with client.id \u201c%1\u201d runs already.").arg(id);
    else if (topic_->count() == 0)
        problem = tr("There is no topic to write to: create one first.");
    else if (idempotence_->isChecked() && acks_->currentData().toInt() != -1)
        problem = tr("An idempotent producer needs acks=all (Kafka refuses the combination): set acks to all or "
                     "turn enable.idempotence off.");
    valid_ = problem.isEmpty();
    message_->setText(problem);
    message_->setVisible(!valid_);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid_);
}

scenario::ProducerSpec ProducerDialog::spec() const
{
    scenario::ProducerSpec spec;
    spec.id = id_->text().trimmed().toStdString();
    spec.topic = topic_->currentText().toStdString();
    spec.ratePerSec = rate_->value();
    spec.workload.keys = static_cast<client::KeyDistribution>(keys_->currentData().toInt());
    spec.config.clientId = spec.id;
    spec.config.acks = static_cast<std::int16_t>(acks_->currentData().toInt());
    spec.config.enableIdempotence = idempotence_->isChecked();
    spec.config.lingerMs = lingerMs_->value();
    spec.config.batchSize = batchSize_->value();
    spec.config.compression = static_cast<log::Compression>(compression_->currentData().toInt());
    return spec;
}

ConsumerGroupDialog::ConsumerGroupDialog(
    std::vector<std::string> topics, std::vector<std::string> takenGroups, QWidget* parent)
    : QDialog(parent)
    , takenGroups_(std::move(takenGroups))
    , groupId_(new QLineEdit(this))
    , topics_(new QListWidget(this))
    , members_(new QSpinBox(this))
    , assignor_(new QComboBox(this))
    , protocol_(new QComboBox(this))
    , offsetReset_(new QComboBox(this))
    , processingMs_(new QDoubleSpinBox(this))
    , commit_(new QComboBox(this))
    , message_(messageLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("consumerGroupDialog"));
    setWindowTitle(tr("New Consumer Group"));
    constexpr int consumerScope = static_cast<int>(protocol::ConfigScope::Consumer);
    groupId_->setObjectName(QStringLiteral("groupId"));
    topics_->setObjectName(QStringLiteral("topics"));
    for (const auto& topic : topics) {
        auto* item = new QListWidgetItem(QString::fromStdString(topic), topics_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(topics_->count() == 1 ? Qt::Checked : Qt::Unchecked);
    }
    topics_->setMaximumHeight(topics_->fontMetrics().height() * 6);
    members_->setObjectName(QStringLiteral("members"));
    members_->setRange(1, 32);
    members_->setValue(2);
    assignor_->setObjectName(QStringLiteral("assignor"));
    for (const char* strategy : { "range,cooperative-sticky", "range", "roundrobin", "sticky", "cooperative-sticky" })
        assignor_->addItem(QString::fromLatin1(strategy));
    protocol_->setObjectName(QStringLiteral("groupProtocol"));
    protocol_->addItem(QStringLiteral("classic"));
    protocol_->addItem(QStringLiteral("consumer"));
    offsetReset_->setObjectName(QStringLiteral("autoOffsetReset"));
    offsetReset_->addItem(QStringLiteral("latest"));
    offsetReset_->addItem(QStringLiteral("earliest"));
    processingMs_->setObjectName(QStringLiteral("processingMs"));
    processingMs_->setRange(0, 10000);
    processingMs_->setDecimals(1);
    processingMs_->setSuffix(tr(" ms per record"));
    commit_->setObjectName(QStringLiteral("commitMode"));
    commit_->addItem(tr("auto (enable.auto.commit=true)"), static_cast<int>(client::CommitMode::Auto));
    commit_->addItem(tr("sync (commitSync after each poll)"), static_cast<int>(client::CommitMode::Sync));
    commit_->addItem(tr("async (commitAsync after each poll)"), static_cast<int>(client::CommitMode::Async));

    auto* form = new QFormLayout;
    form->addRow(fieldLabel(QStringLiteral("group.id"), configToolTip("group.id", consumerScope), groupId_), groupId_);
    form->addRow(
        fieldLabel(tr("Topics"),
            tr("The topics every member subscribes to. Their partitions are shared among the members."), topics_),
        topics_);
    form->addRow(
        fieldLabel(tr("Members"),
            tr("How many consumers start in the group. Members beyond the number of partitions stay idle."), members_),
        members_);
    form->addRow(fieldLabel(QStringLiteral("partition.assignment.strategy"),
                     configToolTip("partition.assignment.strategy", consumerScope), assignor_),
        assignor_);
    form->addRow(
        fieldLabel(QStringLiteral("group.protocol"), configToolTip("group.protocol", consumerScope), protocol_),
        protocol_);
    form->addRow(fieldLabel(QStringLiteral("auto.offset.reset"), configToolTip("auto.offset.reset", consumerScope),
                     offsetReset_),
        offsetReset_);
    form->addRow(fieldLabel(tr("Processing time"),
                     tr("How long the application works on each record before the next poll. A long poll loop delays "
                        "rebalances (members rejoin only from poll()) and past max.poll.interval.ms the member is "
                        "removed."),
                     processingMs_),
        processingMs_);
    form->addRow(fieldLabel(tr("Commit mode"),
                     tr("How offsets are committed: automatically every auto.commit.interval.ms, or by the "
                        "application after processing, waiting (commitSync) or not (commitAsync)."),
                     commit_),
        commit_);

    buttons_->setObjectName(QStringLiteral("buttons"));
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(message_);
    layout->addWidget(buttons_);
    connect(groupId_, &QLineEdit::textChanged, this, &ConsumerGroupDialog::validate);
    connect(topics_, &QListWidget::itemChanged, this, &ConsumerGroupDialog::validate);
    for (int n = 1;; ++n) {
        const QString candidate = QStringLiteral("group-%1").arg(n);
        if (!contains(takenGroups_, candidate)) {
            groupId_->setText(candidate);
            break;
        }
    }
    validate();
}

void ConsumerGroupDialog::validate()
{
    QString problem;
    const QString id = groupId_->text().trimmed();
    int checked = 0;
    for (int i = 0; i < topics_->count(); ++i)
        checked += topics_->item(i)->checkState() == Qt::Checked ? 1 : 0;
    if (id.isEmpty())
        problem = tr("Give the group a group.id.");
    else if (!legalName(id))
        problem = tr("group.id may use ASCII letters, digits, '.', '_' and '-' only here.");
    else if (contains(takenGroups_, id))
        problem = tr("Group \u201c%1\u201d exists already: use Add Member to grow it.").arg(id);
    else if (checked == 0)
        problem = tr("Subscribe to at least one topic.");
    valid_ = problem.isEmpty();
    message_->setText(problem);
    message_->setVisible(!valid_);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid_);
}

scenario::ConsumerSpec ConsumerGroupDialog::spec() const
{
    scenario::ConsumerSpec spec;
    spec.id = groupId_->text().trimmed().toStdString();
    spec.config.groupId = spec.id;
    for (int i = 0; i < topics_->count(); ++i)
        if (topics_->item(i)->checkState() == Qt::Checked)
            spec.topics.push_back(topics_->item(i)->text().toStdString());
    spec.members = members_->value();
    spec.config.partitionAssignmentStrategy = assignor_->currentText().toStdString();
    spec.config.groupProtocol = protocol_->currentText().toStdString();
    spec.config.autoOffsetReset
        = offsetReset_->currentIndex() == 1 ? client::OffsetReset::Earliest : client::OffsetReset::Latest;
    spec.processingMsPerRecord = processingMs_->value();
    spec.commit = static_cast<client::CommitMode>(commit_->currentData().toInt());
    spec.config.enableAutoCommit = spec.commit == client::CommitMode::Auto;
    return spec;
}

} // namespace brokerlab::ui
