#pragma once
// Changes partition.assignment.strategy of a running classic consumer group. A Kafka consumer reads its configs
// once, when it is created, so the change is a rolling restart (driver::Engine::rollAssignmentStrategy): each
// member in turn leaves and a new one joins with the new list. The dialog says what the coordinator will do with
// the lists it then sees, and warns when the new list shares no assignor with the members still running.

#include <QDialog>

#include <string>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace brokerlab::ui {

class AssignorDialog : public QDialog {
    Q_OBJECT
public:
    // `current` is the members' partition.assignment.strategy ("range,cooperative-sticky"), `inUse` the assignor the
    // coordinator picked for the current generation, `members` how many run now.
    AssignorDialog(
        const QString& groupId, const QString& current, const QString& inUse, int members, QWidget* parent = nullptr);

    QString strategy() const; // normalised: names separated by commas, no spaces
    bool isValid() const { return valid_; }
    bool sharesAnAssignor() const; // with the current list: the restart can go through

    static std::vector<QString> names(const QString& strategy);
    static bool known(const QString& name);

private:
    void validate();

    QString current_;
    int members_;
    bool valid_ = false;
    QComboBox* strategy_;
    QLabel* message_;
    QDialogButtonBox* buttons_;
};

} // namespace brokerlab::ui
