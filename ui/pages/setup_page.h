#pragma once
// Setup: where the model size and LoRA rank will be chosen for this machine. For now it shows what
// the machine and this build offer (LibTorch, CUDA, BLAS, threads), probed off the GUI thread.

#include "ui/pages/step_page.h"

class QLabel;

namespace phototune::ui {

class SetupPage final : public StepPage {
    Q_OBJECT
public:
    explicit SetupPage(QWidget* parent = nullptr);

private:
    QLabel* m_report;
};

} // namespace phototune::ui
