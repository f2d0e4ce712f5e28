#include "ui/pages/setup_page.h"

#include "core/api/system_info.h"
#include "ui/support/async_call.h"

#include <QFontDatabase>
#include <QLabel>
#include <QVBoxLayout>

namespace phototune::ui {

SetupPage::SetupPage(QWidget* parent)
    : StepPage(tr("Setup"),
               tr("This step will choose the CLIP model size and LoRA rank that fit this computer's memory "
                  "and time; for now it shows what this computer and this build of the studio can use."),
               parent)
    , m_report(new QLabel(tr("Probing LibTorch, CUDA and BLAS…")))
{
    auto* caption = new QLabel(tr("This computer"));
    caption->setObjectName(QStringLiteral("buildReportHeading"));
    QFont bold = caption->font();
    bold.setBold(true);
    caption->setFont(bold);

    m_report->setObjectName(QStringLiteral("buildReport"));
    m_report->setTextFormat(Qt::PlainText);
    m_report->setTextInteractionFlags(Qt::TextSelectableByMouse); // users paste it into bug reports
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    body()->addWidget(caption);
    body()->addWidget(m_report);
    body()->addStretch(1);

    // Probing CUDA can take seconds on a machine with a GPU driver: keep it off the GUI thread.
    runInBackground(this, [] { return phototune::version_report(); },
                    [this](const std::string& report) { m_report->setText(QString::fromStdString(report)); });
}

} // namespace phototune::ui
