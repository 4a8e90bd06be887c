#pragma once
// The application's colour theme: the platform's own (System), or Qt's Fusion style with a fixed light or dark
// palette. The views take every colour from the palette (StatusColors), so switching the theme at run time only
// changes the palette; widgets repaint on QEvent::PaletteChange.

#include <QIcon>
#include <QPalette>
#include <QString>
#include <QStyle>

#include <optional>

class QMenu;
class QWidget;

namespace brokerlab::ui {

enum class Theme { System, Light, Dark };

QString themeKey(Theme theme); // "system", "light", "dark": in QSettings and on the command line
std::optional<Theme> themeFromKey(const QString& key);

QPalette lightPalette();
QPalette darkPalette();

// Applies `theme` to the whole application. The first call remembers the platform's style and palette, which
// System restores.
void applyTheme(Theme theme);
Theme currentTheme();

// The theme kept in QSettings (view/theme), System if none.
Theme savedTheme();
void saveTheme(Theme theme);

// A monochrome standard icon (the media controls) in the widget's button text colour when its palette is dark:
// the style draws those glyphs black, which vanishes on a dark toolbar. Unchanged on a light palette.
QIcon monochromeIcon(const QWidget* widget, QStyle::StandardPixmap which);

// View ▸ Theme: System, Light, Dark as exclusive choices. A persistent menu keeps the choice in QSettings.
QMenu* createThemeMenu(QWidget* parent, bool persistent);

} // namespace brokerlab::ui
