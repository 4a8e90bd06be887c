// OnScreenWatch: when a panel counts as off screen (so that it may skip work nobody would see) and the call that
// lets it catch up. A QDockWidget tabbed behind another stays isVisible(); that is the case it exists for.

#include "onscreen.h"

#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QTabWidget>
#include <QTest>

using namespace brokerlab::ui;

class TestOnScreen : public QObject {
    Q_OBJECT
private slots:
    void aDockBehindAnotherTabIsOffScreenUntilRaised()
    {
        QMainWindow window;
        window.setCentralWidget(new QLabel(QStringLiteral("centre")));
        auto* front = new QDockWidget(QStringLiteral("Front"), &window);
        front->setObjectName(QStringLiteral("front"));
        front->setWidget(new QLabel(QStringLiteral("front panel")));
        auto* back = new QDockWidget(QStringLiteral("Back"), &window);
        back->setObjectName(QStringLiteral("back"));
        auto* panel = new QLabel(QStringLiteral("back panel"));
        back->setWidget(panel);
        int cameBack = 0;
        auto* watch = new OnScreenWatch(panel, [&cameBack] { ++cameBack; });
        window.addDockWidget(Qt::BottomDockWidgetArea, front);
        window.tabifyDockWidget(front, back);
        front->raise();
        QVERIFY(!watch->offScreen()); // a window never shown: nothing is skipped
        window.resize(800, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(watch->offScreen());
        QVERIFY(panel->isVisible()); // what Qt says, and why isVisible() is not enough
        const int before = cameBack;

        back->raise();
        QTRY_VERIFY(!watch->offScreen());
        QTRY_VERIFY(cameBack > before);

        front->raise();
        QTRY_VERIFY(watch->offScreen());
        back->close(); // closed from the View menu: hidden
        QVERIFY(watch->offScreen());
        const int whileClosed = cameBack;
        back->show();
        back->raise();
        QTRY_VERIFY(!watch->offScreen());
        QTRY_VERIFY(cameBack > whileClosed);
    }

    void aTabPageBehindAnotherIsOffScreen()
    {
        QTabWidget tabs;
        tabs.addTab(new QLabel(QStringLiteral("one")), QStringLiteral("One"));
        auto* page = new QLabel(QStringLiteral("two"));
        tabs.addTab(page, QStringLiteral("Two"));
        int cameBack = 0;
        OnScreenWatch watch(page, [&cameBack] { ++cameBack; });
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        QVERIFY(watch.offScreen());
        tabs.setCurrentWidget(page);
        QTRY_VERIFY(!watch.offScreen());
        QTRY_COMPARE(cameBack, 1);
    }
};

QTEST_MAIN(TestOnScreen)
#include "test_onscreen.moc"
