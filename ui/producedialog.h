#pragma once
// Produce a message by hand, or re-publish a stored one (edited or not) to any topic: topic, partition
// or "by key" (Kafka's murmur2 partitioner), key, value (checked when it looks like JSON) and headers.
// It is sent through the engine's command path by a real simulated producer (driver::ManualProducer),
// so the leader appends it as a record batch; the broker's answer (offset, or an error such as
// NOT_ENOUGH_REPLICAS) shows in the dialog, which stays open for the next message.

#include "driver/manualproducer.h"
#include "store/storetypes.h"
#include "storemailbox.h"

#include <QDialog>
#include <QPointer>

#include <variant>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace brokerlab::ui {

class SimulationSession;

class ProduceDialog : public QDialog {
    Q_OBJECT
public:
    explicit ProduceDialog(SimulationSession* session, QWidget* parent = nullptr);
    ~ProduceDialog() override;

    // Re-publish: the form takes the record's topic, partition, key, value and headers.
    void prefill(const store::StoredRecord& record);
    void setTopic(const QString& topic);
    // The record the form describes, or what is wrong with the form.
    std::variant<driver::ManualRecord, QString> formRecord() const;
    QString topic() const;
    // Posts the form's record to the engine (the Send button).
    void send();

    QComboBox* topicBox() const { return topic_; }
    QComboBox* partitionBox() const { return partition_; }
    QComboBox* acksBox() const { return acks_; }
    QLineEdit* keyEdit() const { return key_; }
    QCheckBox* nullKeyBox() const { return nullKey_; }
    QPlainTextEdit* valueEdit() const { return value_; }
    QCheckBox* nullValueBox() const { return nullValue_; }
    QTableWidget* headersTable() const { return headers_; }
    QPushButton* addHeaderButton() const { return addHeader_; }
    QPushButton* removeHeaderButton() const { return removeHeader_; }
    QPushButton* sendButton() const { return send_; }
    QLabel* valueCheck() const { return valueCheck_; }
    QLabel* partitionHint() const { return partitionHint_; }
    QLabel* status() const { return status_; }

signals:
    void delivered(const QString& topic, int partition, qint64 offset);
    void failed(const QString& message);

private:
    void refreshTopics();
    void updatePartitions();
    void updatePartitionHint();
    void checkValue();
    void onDelivery(const QString& topic, const driver::ManualDelivery& delivery);
    void showError(const QString& message);
    int partitionCount(const QString& topic) const;

    QPointer<SimulationSession> session_;
    StoreMailboxPtr mailbox_;
    QComboBox* topic_;
    QComboBox* partition_;
    QComboBox* acks_;
    QLineEdit* key_;
    QCheckBox* nullKey_;
    QPlainTextEdit* value_;
    QCheckBox* nullValue_;
    QLabel* valueCheck_;
    QLabel* partitionHint_;
    QTableWidget* headers_;
    QPushButton* addHeader_;
    QPushButton* removeHeader_;
    QPushButton* send_;
    QLabel* status_;
    int wantedPartition_ = -1; // a prefilled partition, applied once the topic's partitions are listed
};

} // namespace brokerlab::ui
