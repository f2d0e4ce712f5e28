#pragma once
// A stacked bar of a plan's predicted peak memory: the model's weights, the LoRA weights with their
// gradients and optimizer state, the activations of a step, and the runtime's overhead, drawn
// against the memory budget (the line). Over the budget, the bar turns red.

#include "core/api/hardware.h"

#include <QWidget>

namespace phototune::ui {

class MemoryBar final : public QWidget {
    Q_OBJECT
public:
    struct Segment {
        QString name;
        std::uint64_t bytes = 0;
        QColor colour;
    };

    explicit MemoryBar(QWidget* parent = nullptr);

    void setMemory(const MemoryBreakdown& memory, std::uint64_t budgetBytes);
    const QList<Segment>& segments() const { return m_segments; }
    std::uint64_t totalBytes() const;
    std::uint64_t budgetBytes() const { return m_budget; }
    bool fits() const { return totalBytes() <= m_budget; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QList<Segment> m_segments;
    std::uint64_t m_budget = 0;
};

} // namespace phototune::ui
