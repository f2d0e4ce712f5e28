#include "ui/pages/step_page.h"

#include <QLabel>
#include <QVBoxLayout>

namespace phototune::ui {

StepPage::StepPage(const QString& title, const QString& purpose, QWidget* parent)
    : QWidget(parent)
    , m_title(title)
    , m_body(new QVBoxLayout)
{
    auto* heading = new QLabel(title);
    heading->setObjectName(QStringLiteral("pageHeading"));
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    heading->setFont(font);

    auto* sentence = new QLabel(purpose);
    sentence->setObjectName(QStringLiteral("pagePurpose"));
    sentence->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(sentence);
    layout->addSpacing(8);
    layout->addLayout(m_body, 1);
}

} // namespace phototune::ui
