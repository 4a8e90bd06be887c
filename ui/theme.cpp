#include "theme.h"

#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace brokerlab::ui {

namespace {

const QString kSettingsKey = QStringLiteral("view/theme");
const QString kFusion = QStringLiteral("Fusion");
const QColor kSelection(0x2f, 0x6f, 0xbf);

struct PlatformLook {
    QString style;
    QPalette palette;
};

// What the application looked like before the first applyTheme(): what System goes back to.
PlatformLook& platformLook()
{
    static PlatformLook look { QApplication::style() ? QApplication::style()->name() : QString(),
        QApplication::palette() };
    return look;
}

Theme& current()
{
    static Theme theme = Theme::System;
    return theme;
}

void setStyleNamed(const QString& name)
{
    if (QApplication::style() && QApplication::style()->name().compare(name, Qt::CaseInsensitive) == 0)
        return;
    if (QStyle* style = QStyleFactory::create(name))
        QApplication::setStyle(style);
}

} // namespace

QString themeKey(Theme theme)
{
    switch (theme) {
    case Theme::System:
        break;
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

std::optional<Theme> themeFromKey(const QString& key)
{
    for (Theme theme : { Theme::System, Theme::Light, Theme::Dark }) {
        if (key.compare(themeKey(theme), Qt::CaseInsensitive) == 0)
            return theme;
    }
    return std::nullopt;
}

QPalette lightPalette()
{
    QStyle* fusion = QStyleFactory::create(kFusion);
    QPalette palette = fusion ? fusion->standardPalette() : QPalette(Qt::white);
    delete fusion;
    // Fusion's selection blue gives white text only about 3.6:1; this one gives 5:1, as in the dark palette.
    palette.setColor(QPalette::Active, QPalette::Highlight, kSelection);
    palette.setColor(QPalette::Inactive, QPalette::Highlight, kSelection);
    return palette;
}

QPalette darkPalette()
{
    // Grey surfaces rather than black, text a little below white: easier on the eyes, and the state colours of
    // StatusColors (chosen for a dark Base) keep about 4.5:1 against Base.
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe3, 0xe5, 0xe8);
    const QColor disabledText(0x80, 0x84, 0x8a);
    QPalette palette;
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    palette.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(0x9d, 0xa1, 0xa8));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    palette.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    palette.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x47));
    palette.setColor(QPalette::Mid, QColor(0x6b, 0x6f, 0x76));
    palette.setColor(QPalette::Dark, QColor(0x19, 0x1a, 0x1c));
    palette.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    palette.setColor(QPalette::Highlight, kSelection);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    palette.setColor(QPalette::LinkVisited, QColor(0xb3, 0x92, 0xf0));
    for (QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        palette.setColor(QPalette::Disabled, role, disabledText);
    palette.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4d));
    return palette;
}

void applyTheme(Theme theme)
{
    const PlatformLook& platform = platformLook();
    current() = theme;
    switch (theme) {
    case Theme::System:
        if (!platform.style.isEmpty())
            setStyleNamed(platform.style);
        QApplication::setPalette(platform.palette);
        return;
    case Theme::Light:
        setStyleNamed(kFusion);
        QApplication::setPalette(lightPalette());
        return;
    case Theme::Dark:
        setStyleNamed(kFusion);
        QApplication::setPalette(darkPalette());
        return;
    }
}

Theme currentTheme() { return current(); }

Theme savedTheme()
{
    return themeFromKey(QSettings().value(kSettingsKey).toString()).value_or(Theme::System);
}

void saveTheme(Theme theme) { QSettings().setValue(kSettingsKey, themeKey(theme)); }

QIcon monochromeIcon(const QWidget* widget, QStyle::StandardPixmap which)
{
    const QIcon icon = widget->style()->standardIcon(which, nullptr, widget);
    const QPalette palette = widget->palette();
    if (palette.color(QPalette::Window).lightness() >= 128)
        return icon;
    QList<QSize> sizes = icon.availableSizes();
    if (sizes.isEmpty())
        sizes = { QSize(16, 16), QSize(24, 24), QSize(32, 32) };
    QIcon tinted;
    for (QIcon::Mode mode : { QIcon::Normal, QIcon::Disabled }) {
        const QColor color = palette.color(
            mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::ButtonText);
        for (const QSize& size : sizes) {
            QPixmap pixmap = icon.pixmap(size, mode);
            QPainter painter(&pixmap);
            painter.setCompositionMode(QPainter::CompositionMode_SourceIn); // keep the glyph's shape, not its colour
            painter.fillRect(pixmap.rect(), color);
            painter.end();
            tinted.addPixmap(pixmap, mode);
        }
    }
    return tinted;
}

QMenu* createThemeMenu(QWidget* parent, bool persistent)
{
    auto* menu = new QMenu(QApplication::translate("Theme", "&Theme"), parent);
    menu->setObjectName(QStringLiteral("themeMenu"));
    menu->setToolTipsVisible(true);
    auto* group = new QActionGroup(menu);
    group->setExclusive(true);
    const struct {
        Theme theme;
        QString text;
        QString tip;
    } choices[] = {
        { Theme::System, QApplication::translate("Theme", "&System"),
            QApplication::translate("Theme", "The desktop's own style and colours") },
        { Theme::Light, QApplication::translate("Theme", "&Light"),
            QApplication::translate("Theme", "Dark text on light surfaces, whatever the desktop uses") },
        { Theme::Dark, QApplication::translate("Theme", "&Dark"),
            QApplication::translate("Theme", "Light text on dark surfaces, whatever the desktop uses") },
    };
    for (const auto& choice : choices) {
        QAction* action = menu->addAction(choice.text);
        action->setObjectName(QStringLiteral("actionTheme") + themeKey(choice.theme));
        action->setToolTip(choice.tip);
        action->setCheckable(true);
        action->setChecked(choice.theme == currentTheme());
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [theme = choice.theme, persistent] {
            applyTheme(theme);
            if (persistent)
                saveTheme(theme);
        });
    }
    return menu;
}

} // namespace brokerlab::ui
