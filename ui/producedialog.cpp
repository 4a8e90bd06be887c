#include "producedialog.h"

#include "client/partitioner.h"
#include "driver/report.h"
#include "recordtext.h"
#include "scenario/json.h"
#include "simulationsession.h"
#include "statuscolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace brokerlab::ui {

namespace {

constexpr int kByKey = -1; // the partition box's "by key" entry

std::span<const std::uint8_t> bytesOf(const std::string& text)
{
    return { reinterpret_cast<const std::uint8_t*>(text.data()), text.size() };
}

} // namespace

ProduceDialog::ProduceDialog(SimulationSession* session, QWidget* parent)
    : QDialog(parent)
    , session_(session)
    , mailbox_(std::make_shared<StoreMailbox>(this))
    , topic_(new QComboBox(this))
    , partition_(new QComboBox(this))
    , acks_(new QComboBox(this))
    , key_(new QLineEdit(this))
    , nullKey_(new QCheckBox(tr("null"), this))
    , value_(new QPlainTextEdit(this))
    , nullValue_(new QCheckBox(tr("null (tombstone)"), this))
    , valueCheck_(new QLabel(this))
    , partitionHint_(new QLabel(this))
    , headers_(new QTableWidget(0, 2, this))
    , addHeader_(new QPushButton(tr("Add Header"), this))
    , removeHeader_(new QPushButton(tr("Remove Header"), this))
    , send_(new QPushButton(tr("Send"), this))
    , status_(new QLabel(this))
{
    setWindowTitle(tr("Produce a Message"));
    setObjectName(QStringLiteral("produceDialog"));
    topic_->setEditable(false);
    topic_->setToolTip(tr("The topic to write to. A topic is split into partitions; each is an ordered log."));
    partition_->setToolTip(tr("\u201cBy key\u201d is Kafka's default partitioner: toPositive(murmur2(key)) modulo "
                              "the partition count, so one key always lands in one partition. A record without a "
                              "key goes to a partition the sticky partitioner picks."));
    acks_->addItem(tr("all (-1)"), -1);
    acks_->addItem(tr("1 (leader only)"), 1);
    acks_->addItem(tr("0 (no answer)"), 0);
    acks_->setToolTip(tr("acks: how many replicas must have the record before the leader answers. all = every "
                         "in-sync replica, and at least min.insync.replicas of them, or NOT_ENOUGH_REPLICAS. "
                         "This dialog does not retry, so you see the broker's first answer."));
    key_->setPlaceholderText(tr("Key (text)"));
    key_->setToolTip(tr("The record key. Records with the same key go to the same partition and are kept in "
                        "order; compaction keeps the newest value of each key."));
    nullKey_->setToolTip(tr("Send no key at all (null), which is not the same as an empty key."));
    value_->setPlaceholderText(tr("Value: text or JSON"));
    value_->setTabChangesFocus(true);
    value_->setToolTip(tr("The record value. Text that starts with { or [ is checked as JSON."));
    nullValue_->setToolTip(
        tr("A null value is a tombstone: on a compacted topic it tells the cleaner to remove the key."));
    valueCheck_->setWordWrap(true);
    partitionHint_->setWordWrap(true);
    headers_->setHorizontalHeaderLabels({ tr("Header key"), tr("Header value") });
    headers_->horizontalHeader()->setStretchLastSection(true);
    headers_->verticalHeader()->hide();
    headers_->setToolTip(tr("Record headers: key/value pairs carried beside the value (trace ids, content types)."));
    headers_->setMinimumHeight(90);
    addHeader_->setToolTip(tr("Add a header row."));
    removeHeader_->setToolTip(tr("Remove the selected header row."));
    send_->setDefault(true);
    send_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    send_->setToolTip(tr("Send the record (Ctrl+Return). The dialog stays open for the next one."));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(key_, 1);
    keyRow->addWidget(nullKey_);
    auto* valueFlags = new QHBoxLayout;
    valueFlags->addWidget(valueCheck_, 1);
    valueFlags->addWidget(nullValue_);
    auto* headerButtons = new QHBoxLayout;
    headerButtons->addWidget(addHeader_);
    headerButtons->addWidget(removeHeader_);
    headerButtons->addStretch(1);
    auto* form = new QFormLayout;
    form->addRow(tr("&Topic:"), topic_);
    form->addRow(tr("&Partition:"), partition_);
    form->addRow(QString(), partitionHint_);
    form->addRow(tr("&Key:"), keyRow);
    form->addRow(tr("&Value:"), value_);
    form->addRow(QString(), valueFlags);
    form->addRow(tr("&Headers:"), headers_);
    form->addRow(QString(), headerButtons);
    form->addRow(tr("&acks:"), acks_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("buttons"));
    buttons->addButton(send_, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(560, 560);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(send_, &QPushButton::clicked, this, &ProduceDialog::send);
    connect(topic_, &QComboBox::currentTextChanged, this, &ProduceDialog::updatePartitions);
    connect(partition_, &QComboBox::currentIndexChanged, this, &ProduceDialog::updatePartitionHint);
    connect(key_, &QLineEdit::textChanged, this, &ProduceDialog::updatePartitionHint);
    connect(nullKey_, &QCheckBox::toggled, this, [this](bool on) {
        key_->setEnabled(!on);
        updatePartitionHint();
    });
    connect(nullValue_, &QCheckBox::toggled, this, [this](bool on) {
        value_->setEnabled(!on);
        checkValue();
    });
    connect(value_, &QPlainTextEdit::textChanged, this, &ProduceDialog::checkValue);
    connect(addHeader_, &QPushButton::clicked, this, [this] {
        const int row = headers_->rowCount();
        headers_->insertRow(row);
        headers_->setItem(row, 0, new QTableWidgetItem);
        headers_->setItem(row, 1, new QTableWidgetItem);
        headers_->setCurrentCell(row, 0);
        headers_->editItem(headers_->item(row, 0));
    });
    connect(removeHeader_, &QPushButton::clicked, this, [this] {
        const int row = headers_->currentRow();
        if (row >= 0)
            headers_->removeRow(row);
    });
    if (session_)
        connect(session_, &SimulationSession::snapshotChanged, this, &ProduceDialog::refreshTopics);
    refreshTopics();
    checkValue();
}

ProduceDialog::~ProduceDialog() { mailbox_->close(); }

void ProduceDialog::refreshTopics()
{
    const QString current = topic_->currentText();
    QStringList names;
    if (session_)
        for (const auto& topic : session_->snapshot()->topics)
            if (!topic.internal)
                names << QString::fromStdString(topic.name);
    QStringList listed;
    for (int i = 0; i < topic_->count(); ++i)
        listed << topic_->itemText(i);
    if (names == listed)
        return;
    const QSignalBlocker blocker(topic_);
    topic_->clear();
    topic_->addItems(names);
    topic_->setCurrentIndex(std::max(0, int(names.indexOf(current))));
    updatePartitions();
}

int ProduceDialog::partitionCount(const QString& topic) const
{
    if (!session_)
        return 0;
    for (const auto& entry : session_->snapshot()->topics)
        if (QString::fromStdString(entry.name) == topic)
            return int(entry.partitions.size());
    return 0;
}

void ProduceDialog::setTopic(const QString& topic)
{
    refreshTopics();
    const int index = topic_->findText(topic);
    if (index >= 0)
        topic_->setCurrentIndex(index);
    else
        showError(tr("Topic \u201c%1\u201d does not exist in the running cluster; pick another.").arg(topic));
}

void ProduceDialog::updatePartitions()
{
    // Keep the chosen partition when the new topic has it; "by key" otherwise and at first.
    const int wanted = wantedPartition_ >= 0 ? wantedPartition_
        : partition_->count() > 0            ? partition_->currentData().toInt()
                                             : kByKey;
    const int count = partitionCount(topic_->currentText());
    const QSignalBlocker blocker(partition_);
    partition_->clear();
    partition_->addItem(tr("By key (murmur2)"), kByKey);
    for (int p = 0; p < count; ++p)
        partition_->addItem(tr("Partition %1").arg(p), p);
    const int index = partition_->findData(wanted);
    partition_->setCurrentIndex(index >= 0 ? index : 0);
    if (wantedPartition_ >= 0 && index >= 0)
        wantedPartition_ = -1;
    updatePartitionHint();
}

void ProduceDialog::updatePartitionHint()
{
    const int count = partitionCount(topic_->currentText());
    if (partition_->currentData().toInt() != kByKey || count <= 0) {
        partitionHint_->clear();
        return;
    }
    if (nullKey_->isChecked()) {
        partitionHint_->setText(tr("No key: the sticky partitioner picks a partition."));
        return;
    }
    const std::string key = key_->text().toStdString();
    partitionHint_->setText(tr("Key \u201c%1\u201d \u2192 partition %2 of %3")
                                .arg(key_->text().left(40))
                                .arg(client::partitionForKey(bytesOf(key), count))
                                .arg(count));
}

void ProduceDialog::checkValue()
{
    const StatusColors colors = StatusColors::from(palette());
    const QString text = value_->toPlainText();
    const QString trimmed = text.trimmed();
    if (nullValue_->isChecked() || !(trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('[')))) {
        valueCheck_->setText(nullValue_->isChecked() ? tr("Tombstone: no value.") : QString());
        return;
    }
    const std::string bytes = text.toStdString();
    const auto parsed = scenario::parseJson(bytes);
    if (parsed.ok()) {
        valueCheck_->setStyleSheet(QString());
        valueCheck_->setText(tr("Valid JSON."));
    } else {
        valueCheck_->setStyleSheet(QStringLiteral("color: %1").arg(colors.offline.name()));
        valueCheck_->setText(tr("This looks like JSON but is not: line %1, column %2: %3. It can still be sent "
                                "(to see what consumers make of it).")
                                 .arg(parsed.error->line)
                                 .arg(parsed.error->column)
                                 .arg(QString::fromStdString(parsed.error->message)));
    }
}

void ProduceDialog::prefill(const store::StoredRecord& stored)
{
    const log::Record& record = stored.record;
    wantedPartition_ = stored.partition;
    setTopic(QString::fromStdString(stored.topic));
    if (partition_->findData(stored.partition) >= 0) {
        partition_->setCurrentIndex(partition_->findData(stored.partition));
        wantedPartition_ = -1;
    }
    nullKey_->setChecked(!record.key);
    key_->setText(record.key ? QString::fromStdString(*record.key) : QString());
    nullValue_->setChecked(!record.value);
    value_->setPlainText(record.value ? QString::fromStdString(*record.value) : QString());
    headers_->setRowCount(0);
    for (const auto& header : record.headers) {
        const int row = headers_->rowCount();
        headers_->insertRow(row);
        headers_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(header.key)));
        headers_->setItem(
            row, 1, new QTableWidgetItem(header.value ? QString::fromStdString(*header.value) : QString()));
    }
    setWindowTitle(tr("Re-publish %1/%2 at Offset %3")
                       .arg(QString::fromStdString(stored.topic))
                       .arg(stored.partition)
                       .arg(record.offset));
    if ((record.key && !isUtf8(*record.key)) || (record.value && !isUtf8(*record.value)))
        status_->setText(tr("The record holds bytes that are not text; they are shown (and sent) as text."));
}

QString ProduceDialog::topic() const { return topic_->currentText(); }

std::variant<driver::ManualRecord, QString> ProduceDialog::formRecord() const
{
    if (topic_->currentText().isEmpty())
        return tr("Choose a topic.");
    driver::ManualRecord record;
    const int partition = partition_->currentData().toInt();
    if (partition != kByKey)
        record.partition = partition;
    if (!nullKey_->isChecked())
        record.key = key_->text().toStdString();
    if (!nullValue_->isChecked())
        record.value = value_->toPlainText().toStdString();
    for (int row = 0; row < headers_->rowCount(); ++row) {
        const QString key = headers_->item(row, 0) ? headers_->item(row, 0)->text() : QString();
        const QString value = headers_->item(row, 1) ? headers_->item(row, 1)->text() : QString();
        if (key.isEmpty() && value.isEmpty())
            continue;
        if (key.isEmpty())
            return tr("Header row %1 has a value but no key.").arg(row + 1);
        record.headers.push_back({ key.toStdString(), value.toStdString() });
    }
    return record;
}

void ProduceDialog::send()
{
    auto form = formRecord();
    if (const auto* problem = std::get_if<QString>(&form)) {
        showError(*problem);
        return;
    }
    if (!session_ || session_->finished()) {
        showError(tr("Producing needs a running simulation: start or open a scenario first."));
        return;
    }
    const QString topic = topic_->currentText();
    driver::ManualSendOptions options {
        .topic = topic.toStdString(), .acks = static_cast<std::int16_t>(acks_->currentData().toInt()), .retry = false
    };
    status_->setStyleSheet(QString());
    status_->setText(session_->paused() ? tr("Sent; the simulation is paused, so it is delivered when time runs.")
                                        : tr("Sending\u2026"));
    session_->post(tr("Produce a record to %1").arg(topic),
        [mailbox = mailbox_, options, topic, record = std::get<driver::ManualRecord>(std::move(form))](
            driver::Engine& engine) {
            std::string error;
            const auto job = engine.manualProducer().send(
                options, { record },
                [mailbox, topic](const driver::ManualDelivery& delivery) {
                    mailbox->deliver([target = mailbox->target(), topic, delivery] {
                        static_cast<ProduceDialog*>(target)->onDelivery(topic, delivery);
                    });
                },
                &error);
            if (job == 0)
                mailbox->deliver([target = mailbox->target(), error] {
                    static_cast<ProduceDialog*>(target)->showError(QString::fromStdString(error));
                });
            return std::string(); // the dialog shows its own errors
        });
}

void ProduceDialog::onDelivery(const QString& topic, const driver::ManualDelivery& delivery)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (delivery.error != protocol::ErrorCode::NONE) {
        const auto name = protocol::errorName(delivery.error);
        showError(
            tr("%1/%2 refused the record: %3%4")
                .arg(topic)
                .arg(delivery.partition)
                .arg(QString::fromUtf8(name.data(), qsizetype(name.size())))
                .arg(delivery.message.empty() ? QString()
                                              : QStringLiteral(" (%1)").arg(QString::fromStdString(delivery.message))));
        return;
    }
    status_->setStyleSheet(QString());
    if (delivery.baseOffset < 0)
        status_->setText(tr("Sent to %1/%2 with acks=0: the producer does not learn the offset.")
                             .arg(topic)
                             .arg(delivery.partition));
    else
        status_->setText(
            tr("Written to %1/%2 at offset %3.").arg(topic).arg(delivery.partition).arg(delivery.baseOffset));
    emit delivered(topic, delivery.partition, delivery.baseOffset);
}

void ProduceDialog::showError(const QString& message)
{
    status_->setStyleSheet(QStringLiteral("color: %1").arg(StatusColors::from(palette()).offline.name()));
    status_->setText(message);
    emit failed(message);
}

} // namespace brokerlab::ui
