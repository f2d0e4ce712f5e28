#pragma once
// qcustomplot.h 2.1 uses Qt's signals/slots/emit/foreach keywords, which QT_NO_KEYWORDS removes:
// they are defined for that header only. Include QCustomPlot through this file.

#include <QObject>

#if defined(signals) || defined(slots) || defined(emit) || defined(foreach)
#include <qcustomplot.h>
#else
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#endif
