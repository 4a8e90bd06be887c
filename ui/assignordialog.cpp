#include "assignordialog.h"

#include "clientdialogs.h"
#include "protocol/configdefs.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace brokerlab::ui {

AssignorDialog::AssignorDialog(
    const QString& groupId, const QString& current, const QString& inUse, int members, QWidget* parent)
    : QDialog(parent)
    , current_(current)
    , members_(members)
    , strategy_(new QComboBox(this))
    , message_(new QLabel(this))
    , buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("assignorDialog"));
    setWindowTitle(tr("Change the Assignor of %1").arg(groupId));
    auto* intro = new QLabel(
        tr("<p>A Kafka consumer reads <b>partition.assignment.strategy</b> once, when it is created. Changing it means "
           "a <b>rolling restart</b>: one member at a time closes (LeaveGroup) and a new one joins with the new "
           "list; the next follows once the new member is in the group. Each step is a rebalance.</p>"
           "<p>At every rebalance the coordinator picks, among the assignors <i>every</i> member lists, the one most "
           "members list first. So the new assignor takes effect only at the rebalance after the last old member "
           "has gone. A member whose list shares none with the others' is refused with "
           "INCONSISTENT_GROUP_PROTOCOL.</p>"
           "<p>Now: %1 members with <tt>%2</tt>; the current generation uses <b>%3</b>.</p>")
            .arg(members)
            .arg(current.toHtmlEscaped(), inUse.isEmpty() ? tr("none yet") : inUse.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    strategy_->setObjectName(QStringLiteral("strategy"));
    strategy_->setEditable(true);
    strategy_->setInsertPolicy(QComboBox::NoInsert);
    for (const char* preset : { "range", "roundrobin", "sticky", "cooperative-sticky", "range,cooperative-sticky",
             "cooperative-sticky,range", "roundrobin,range" })
        strategy_->addItem(QString::fromLatin1(preset));
    strategy_->setCurrentText(current);
    const QString tip
        = configToolTip("partition.assignment.strategy", static_cast<int>(protocol::ConfigScope::Consumer));
    strategy_->setToolTip(tip);
    auto* label = new QLabel(QStringLiteral("partition.assignment.strategy"), this);
    label->setToolTip(tip);
    label->setBuddy(strategy_);
    auto* form = new QFormLayout;
    form->addRow(label, strategy_);
    message_->setObjectName(QStringLiteral("message"));
    message_->setWordWrap(true);
    buttons_->setObjectName(QStringLiteral("buttons"));
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Restart Members"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(strategy_, &QComboBox::currentTextChanged, this, &AssignorDialog::validate);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(message_);
    layout->addWidget(buttons_);
    setMinimumWidth(std::max(480, fontMetrics().averageCharWidth() * 70));
    validate();
}

std::vector<QString> AssignorDialog::names(const QString& strategy)
{
    std::vector<QString> result;
    for (const QString& part : strategy.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString name = part.trimmed(); !name.isEmpty())
            result.push_back(name);
    return result;
}

bool AssignorDialog::known(const QString& name)
{
    static const QStringList assignors = { QStringLiteral("range"), QStringLiteral("roundrobin"),
        QStringLiteral("sticky"), QStringLiteral("cooperative-sticky") };
    return assignors.contains(name);
}

QString AssignorDialog::strategy() const
{
    QStringList parts;
    for (const QString& name : names(strategy_->currentText()))
        parts << name;
    return parts.join(QLatin1Char(','));
}

bool AssignorDialog::sharesAnAssignor() const
{
    const std::vector<QString> before = names(current_);
    const std::vector<QString> after = names(strategy_->currentText());
    return std::any_of(after.begin(), after.end(),
        [&before](const QString& name) { return std::find(before.begin(), before.end(), name) != before.end(); });
}

void AssignorDialog::validate()
{
    const std::vector<QString> list = names(strategy_->currentText());
    QString problem;
    QString warning;
    if (list.empty())
        problem = tr("Name at least one assignor.");
    for (const QString& name : list)
        if (!known(name))
            problem = tr("\u201c%1\u201d is not an assignor; Kafka's are range, roundrobin, sticky and "
                         "cooperative-sticky.")
                          .arg(name);
    QStringList currentList;
    for (const QString& name : names(current_))
        currentList << name;
    if (problem.isEmpty() && strategy() == currentList.join(QLatin1Char(',')))
        problem = tr("The members already run with this list.");
    if (problem.isEmpty() && members_ > 1 && !sharesAnAssignor())
        warning = tr("This list shares no assignor with the running members': the first restarted member will be "
                     "refused with INCONSISTENT_GROUP_PROTOCOL while the others remain, and the restart stops there. "
                     "Kafka's way is two rolling restarts: first with both (for example \u201c%1,%2\u201d), then "
                     "with the new one alone.")
                      .arg(list.front(), currentList.value(0));
    valid_ = problem.isEmpty();
    message_->setText(valid_ ? warning : problem);
    message_->setVisible(!message_->text().isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(valid_);
}

} // namespace brokerlab::ui
