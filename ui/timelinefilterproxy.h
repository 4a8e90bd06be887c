#pragma once
// Filters the timeline by text (any column, case-insensitive) and by kind: an exact kind ("isr.shrink") or a
// family ending in a dot ("broker." matches every broker event).

#include <QSortFilterProxyModel>

namespace brokerlab::ui {

class TimelineFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TimelineFilterProxy(QObject* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return text_; }
    void setKind(const QString& kind); // empty: every kind
    QString kind() const { return kind_; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString text_;
    QString kind_;
};

} // namespace brokerlab::ui
