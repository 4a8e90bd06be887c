#pragma once
// "Create topic...": the fields of a CreateTopics request and three topic configs, labelled with Kafka's names and
// explained by tooltips from the config registry. Every field is checked as it is typed, with the reason shown
// under it; OK stays disabled while anything is invalid.

#include "cluster/brokerconfig.h"
#include "topiccommand.h"

#include <QDialog>
#include <QStringList>

#include <set>
#include <string>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace brokerlab::ui {

class CreateTopicDialog : public QDialog {
    Q_OBJECT
public:
    // `defaults` are the cluster's topic defaults (the broker configs), `existing` the topic names now in the
    // cluster, `onlineBrokers` the upper bound of the replication factor.
    CreateTopicDialog(const cluster::BrokerConfig& defaults, std::set<std::string> existing, int onlineBrokers,
        QWidget* parent = nullptr);

    // Valid once the dialog was accepted (and whenever isValid()).
    TopicDefinition definition() const;
    bool isValid() const { return valid_; }

private:
    void validate();
    QLabel* messageLabel();
    void showMessage(QLabel* label, const QString& text, bool error);

    cluster::TopicConfig defaults_;
    std::set<std::string> existing_;
    int onlineBrokers_;
    bool valid_ = false;

    QLineEdit* name_;
    QSpinBox* partitions_;
    QSpinBox* replicationFactor_;
    QLineEdit* retentionMs_;
    QComboBox* cleanupPolicy_;
    QSpinBox* minInsyncReplicas_;
    QLabel* nameMessage_;
    QLabel* replicationMessage_;
    QLabel* retentionMessage_;
    QLabel* minInsyncMessage_;
    QDialogButtonBox* buttons_;
};

} // namespace brokerlab::ui
