#pragma once
// Finding a page's widgets by object name, as the UI tests do: a missing one is named in the log,
// so a renamed widget fails with its name instead of a bare null pointer.

#include <QObject>
#include <QString>
#include <QtGlobal>

namespace phototune::test {

template <typename Widget>
Widget* child(QObject* parent, const char* name)
{
    auto* widget = parent->findChild<Widget*>(QString::fromLatin1(name));
    if (!widget) qWarning("no child named %s", name);
    return widget;
}

} // namespace phototune::test
