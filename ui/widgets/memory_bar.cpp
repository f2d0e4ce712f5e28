#include "ui/widgets/memory_bar.h"

#include <QPainter>

#include <algorithm>

namespace phototune::ui {
namespace {

constexpr int kBarHeight = 26;
constexpr int kLegendHeight = 20;
const QColor kOver(207, 34, 46);

QString bytesText(std::uint64_t bytes)
{
    return QString::fromStdString(format_bytes(bytes));
}

} // namespace

MemoryBar::MemoryBar(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Predicted peak memory of one training step, by what holds it, against what this machine can "
                  "give (the line)."));
}

void MemoryBar::setMemory(const MemoryBreakdown& memory, std::uint64_t budgetBytes)
{
    m_budget = budgetBytes;
    m_segments = {
        {tr("weights"), memory.frozen_weights + memory.autocast_weight_copies, QColor(96, 125, 139)},
        {tr("LoRA + optimizer"), memory.lora_training_state, QColor(25, 118, 210)},
        {tr("activations"),
         memory.saved_activations + memory.backward_working_set + memory.frozen_tower_cache + memory.batch_inputs,
         QColor(255, 160, 0)},
        {tr("overhead"), memory.runtime_overhead, QColor(158, 158, 158)},
    };
    setToolTip(tr("Predicted peak: %1 of %2.\nweights %3 · LoRA + optimizer %4 · activations %5 · overhead %6")
                   .arg(bytesText(totalBytes()), bytesText(m_budget), bytesText(m_segments[0].bytes),
                        bytesText(m_segments[1].bytes), bytesText(m_segments[2].bytes), bytesText(m_segments[3].bytes)));
    update();
}

std::uint64_t MemoryBar::totalBytes() const
{
    std::uint64_t total = 0;
    for (const Segment& segment : m_segments) total += segment.bytes;
    return total;
}

QSize MemoryBar::sizeHint() const
{
    return {480, kBarHeight + kLegendHeight + 4};
}

QSize MemoryBar::minimumSizeHint() const
{
    return {200, kBarHeight + kLegendHeight + 4};
}

void MemoryBar::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar(1, 1, width() - 2, kBarHeight);
    painter.fillRect(bar, palette().alternateBase());
    const double scale = static_cast<double>(std::max<std::uint64_t>({totalBytes(), m_budget, 1}));
    const bool over = !fits();

    double x = bar.left();
    for (const Segment& segment : m_segments) {
        const double w = bar.width() * static_cast<double>(segment.bytes) / scale;
        painter.fillRect(QRectF(x, bar.top(), w, bar.height()), over ? segment.colour.darker(110) : segment.colour);
        x += w;
    }
    if (m_budget > 0) {
        const double budgetX = bar.left() + bar.width() * static_cast<double>(m_budget) / scale;
        painter.setPen(QPen(over ? kOver : palette().text().color(), 2));
        painter.drawLine(QPointF(budgetX, bar.top() - 1), QPointF(budgetX, bar.bottom() + 1));
    }
    painter.setPen(QPen(over ? kOver : palette().mid().color(), over ? 2 : 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);

    // The legend: a swatch and the name of each segment that holds anything.
    double legendX = 1;
    const double legendY = bar.bottom() + 4;
    const QFontMetrics metrics(font());
    for (const Segment& segment : m_segments) {
        if (segment.bytes == 0) continue;
        painter.fillRect(QRectF(legendX, legendY + 4, 10, 10), segment.colour);
        const QString label = segment.name + QLatin1Char(' ') + bytesText(segment.bytes);
        painter.setPen(palette().text().color());
        painter.drawText(QPointF(legendX + 14, legendY + 4 + metrics.ascent() - 2), label);
        legendX += 14 + metrics.horizontalAdvance(label) + 16;
    }
}

} // namespace phototune::ui
