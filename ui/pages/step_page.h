#pragma once
// One step of the studio's workflow: a heading, a sentence saying what the step is for, and a body
// that each step fills with its own widgets.

#include <QWidget>

class QVBoxLayout;

namespace phototune::ui {

class StepPage : public QWidget {
    Q_OBJECT
public:
    StepPage(const QString& title, const QString& purpose, QWidget* parent = nullptr);

    QString title() const { return m_title; }

protected:
    QVBoxLayout* body() const { return m_body; }

private:
    QString m_title;
    QVBoxLayout* m_body;
};

} // namespace phototune::ui
