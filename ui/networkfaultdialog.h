#pragma once
// Network faults that need more than one click: a partition between two chosen sets of nodes (brokers and
// controller voters), or one link made slow or lossy (latency, jitter, loss). The choices are checked as they are
// made; OK posts one engine command.

#include "driver/engine.h"

#include <QDialog>

#include <functional>
#include <set>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;

namespace brokerlab::ui {

class NetworkFaultDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Partition, Link };
    // `brokers` are broker ids; `controllers` the number of controller voters (nodes 0, -1, ...).
    NetworkFaultDialog(
        Mode mode, std::vector<std::int32_t> brokers, std::int32_t controllers, QWidget* parent = nullptr);

    Mode mode() const { return mode_; }
    bool isValid() const { return valid_; }
    std::set<std::int32_t> sideA() const;
    std::set<std::int32_t> sideB() const;
    std::int32_t from() const;
    std::int32_t to() const;
    bool bothDirections() const;
    sim::LinkSpec link() const;
    QString description() const; // for the command log and the status bar
    // The engine command for what the dialog holds, and its inverse (the partition healed, the link back to normal).
    std::function<std::string(driver::Engine&)> command() const;
    std::function<std::string(driver::Engine&)> inverseCommand() const;
    QString inverseDescription() const;

private:
    void validate();
    static QString nodeName(std::int32_t node);

    Mode mode_;
    bool valid_ = false;
    QListWidget* sideA_ = nullptr;
    QListWidget* sideB_ = nullptr;
    QComboBox* from_ = nullptr;
    QComboBox* to_ = nullptr;
    QCheckBox* both_ = nullptr;
    QDoubleSpinBox* latency_ = nullptr;
    QDoubleSpinBox* jitter_ = nullptr;
    QDoubleSpinBox* loss_ = nullptr;
    QLabel* message_;
    QDialogButtonBox* buttons_;
};

} // namespace brokerlab::ui
