#pragma once
// Dialogs that start clients while the cluster runs: a producer (new or edited: topic, rate, key distribution and
// the producer configs acks, enable.idempotence, linger.ms, batch.size, compression.type) and a consumer group
// (group.id, topics, members, partition.assignment.strategy, group.protocol, auto.offset.reset, processing time,
// commit mode). Fields carry Kafka's names; tooltips come from the config registry. OK stays disabled while a
// field is wrong, and the reason shows under the form.

#include "scenario/scenario.h"

#include <QDialog>

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace brokerlab::ui {

// The registry's explanation of a config with its valid values and Kafka's default, for a tooltip.
QString configToolTip(const char* name, int scope);

class ProducerDialog : public QDialog {
    Q_OBJECT
public:
    // `topics` to pick from, `takenIds` client ids in use (a new producer must not reuse one). With `editing` the
    // dialog starts from that producer and its id is fixed.
    ProducerDialog(std::vector<std::string> topics, std::vector<std::string> takenIds,
        const scenario::ProducerSpec* editing, QWidget* parent = nullptr);
    scenario::ProducerSpec spec() const;
    bool isValid() const { return valid_; }

private:
    void validate();

    std::vector<std::string> takenIds_;
    bool editing_;
    bool valid_ = false;
    QLineEdit* id_;
    QComboBox* topic_;
    QDoubleSpinBox* rate_;
    QComboBox* keys_;
    QComboBox* acks_;
    QCheckBox* idempotence_;
    QSpinBox* lingerMs_;
    QSpinBox* batchSize_;
    QComboBox* compression_;
    QLabel* message_;
    QDialogButtonBox* buttons_;
};

class ConsumerGroupDialog : public QDialog {
    Q_OBJECT
public:
    ConsumerGroupDialog(
        std::vector<std::string> topics, std::vector<std::string> takenGroups, QWidget* parent = nullptr);
    scenario::ConsumerSpec spec() const;
    bool isValid() const { return valid_; }

private:
    void validate();

    std::vector<std::string> takenGroups_;
    bool valid_ = false;
    QLineEdit* groupId_;
    QListWidget* topics_;
    QSpinBox* members_;
    QComboBox* assignor_;
    QComboBox* protocol_;
    QComboBox* offsetReset_;
    QDoubleSpinBox* processingMs_;
    QComboBox* commit_;
    QLabel* message_;
    QDialogButtonBox* buttons_;
};

} // namespace brokerlab::ui
