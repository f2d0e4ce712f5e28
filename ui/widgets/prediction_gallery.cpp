#include "ui/widgets/prediction_gallery.h"

#include "ui/models/thumbnail_loader.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QRadioButton>
#include <QVBoxLayout>

#include <algorithm>

namespace phototune::ui {
namespace {

constexpr int kEdge = 96;

bool isCorrect(const PhotoPrediction& p)
{
    return !p.top.empty() && p.top.front().label == p.label;
}

float confidence(const PhotoPrediction& p)
{
    return p.top.empty() ? 0.0f : p.top.front().probability;
}

} // namespace

PredictionModel::PredictionModel(int edge, QObject* parent)
    : QAbstractListModel(parent)
    , m_loader(new ThumbnailLoader(edge, this))
{
    connect(m_loader, &ThumbnailLoader::thumbnailDecoded, this,
            [this](const QString& path, const QImage& image) { storeThumbnail(path, image); });
}

int PredictionModel::edge() const
{
    return m_loader->edge();
}

int PredictionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant PredictionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) return {};
    const PhotoPrediction& p = m_rows[index.row()];
    const QString predicted = p.top.empty() ? QString() : QString::fromStdString(p.top.front().label);
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1 (%2 %)").arg(predicted).arg(qRound(confidence(p) * 100.0f));
    case Qt::DecorationRole: {
        const QString path = fileOf(p);
        const auto found = m_thumbnails.constFind(path);
        if (found != m_thumbnails.constEnd()) return *found;
        m_loader->request(path); // queued once; the row updates when it is decoded
        return {};
    }
    case Qt::ToolTipRole: {
        QString text = tr("%1\nTrue label: %2").arg(QString::fromStdString(p.photo), QString::fromStdString(p.label));
        for (const LabelProbability& guess : p.top)
            text += tr("\n%1: %2 %").arg(QString::fromStdString(guess.label)).arg(guess.probability * 100.0, 0, 'f', 1);
        return text;
    }
    case TrueLabelRole: return QString::fromStdString(p.label);
    case PredictedLabelRole: return predicted;
    case ConfidenceRole: return confidence(p);
    case CorrectRole: return isCorrect(p);
    case PhotoRole: return QString::fromStdString(p.photo);
    default: return {};
    }
}

void PredictionModel::setDataDir(const QString& dir)
{
    beginResetModel();
    m_dataDir = dir;
    m_thumbnails.clear();
    endResetModel();
}

void PredictionModel::setPredictions(const std::vector<PhotoPrediction>& predictions)
{
    beginResetModel();
    m_rows = QVector<PhotoPrediction>(predictions.begin(), predictions.end());
    sortRows();
    endResetModel();
}

void PredictionModel::setMostWrongFirst(bool on)
{
    if (m_mostWrongFirst == on) return;
    beginResetModel();
    m_mostWrongFirst = on;
    sortRows();
    endResetModel();
}

void PredictionModel::sortRows()
{
    const auto byPhoto = [](const PhotoPrediction& a, const PhotoPrediction& b) { return a.photo < b.photo; };
    if (!m_mostWrongFirst) {
        std::sort(m_rows.begin(), m_rows.end(), byPhoto);
        return;
    }
    // Wrong before right; among the wrong, the most confident mistake first.
    std::sort(m_rows.begin(), m_rows.end(), [&](const PhotoPrediction& a, const PhotoPrediction& b) {
        if (isCorrect(a) != isCorrect(b)) return !isCorrect(a);
        if (!isCorrect(a) && confidence(a) != confidence(b)) return confidence(a) > confidence(b);
        return byPhoto(a, b);
    });
}

QString PredictionModel::fileOf(const PhotoPrediction& p) const
{
    // A project's photos can come from several folders; a run's own record says where each one is.
    if (!p.file.empty()) return QString::fromStdString(p.file);
    return QDir(m_dataDir).filePath(QString::fromStdString(p.photo));
}

void PredictionModel::storeThumbnail(const QString& path, const QImage& image)
{
    m_thumbnails.insert(path, QPixmap::fromImage(image)); // a null pixmap for a photo that failed: no retry
    for (int row = 0; row < m_rows.size(); ++row) {
        if (fileOf(m_rows[row]) != path) continue;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole});
    }
}

void PredictionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    if (option.state & QStyle::State_Selected) painter->fillRect(option.rect, option.palette.highlight());
    const QRect frame = option.rect.adjusted(3, 3, -3, -3);
    const int textHeight = option.fontMetrics.height() + 4;
    const QRect imageArea = frame.adjusted(3, 3, -3, -3 - textHeight);
    const QPixmap thumbnail = index.data(Qt::DecorationRole).value<QPixmap>();
    if (!thumbnail.isNull()) {
        const QSize size = thumbnail.size().scaled(imageArea.size(), Qt::KeepAspectRatio);
        const QRect target(imageArea.center() - QPoint(size.width() / 2, size.height() / 2), size);
        painter->drawPixmap(target, thumbnail);
    }
    const bool correct = index.data(PredictionModel::CorrectRole).toBool();
    painter->setPen(QPen(correct ? QColor(0x27, 0xae, 0x60) : QColor(0xc0, 0x39, 0x2b), 3));
    painter->drawRect(frame);
    painter->setPen(option.palette.color(QPalette::Text));
    const QRect textArea(frame.left() + 2, frame.bottom() - textHeight, frame.width() - 4, textHeight);
    painter->drawText(textArea, Qt::AlignCenter,
                      option.fontMetrics.elidedText(index.data().toString(), Qt::ElideRight, textArea.width()));
    painter->restore();
}

QSize PredictionDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const int edge = static_cast<const PredictionModel*>(index.model())->edge();
    return {edge + 12, edge + 16 + option.fontMetrics.height()};
}

PredictionGallery::PredictionGallery(QWidget* parent)
    : QWidget(parent)
    , m_model(new PredictionModel(kEdge, this))
    , m_view(new QListView)
    , m_before(new QRadioButton(tr("Before")))
    , m_after(new QRadioButton(tr("After")))
    , m_mostWrongFirst(new QCheckBox(tr("Most wrong first")))
    , m_summary(new QLabel)
{
    m_view->setObjectName(QStringLiteral("predictionView"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new PredictionDelegate(m_view));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);
    m_view->setToolTip(tr("Held-out photos the adapter never trains on: green when its top guess is right, red when wrong."));

    m_before->setObjectName(QStringLiteral("galleryBeforeButton"));
    m_before->setToolTip(tr("What the base model, before training, guesses for these photos."));
    m_after->setObjectName(QStringLiteral("galleryAfterButton"));
    m_after->setToolTip(tr("What the adapter guesses at its latest evaluation."));
    m_after->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_before);
    group->addButton(m_after);
    m_mostWrongFirst->setObjectName(QStringLiteral("mostWrongFirst"));
    m_mostWrongFirst->setToolTip(tr("Show wrong guesses first, the most confident mistakes on top."));
    m_summary->setObjectName(QStringLiteral("gallerySummary"));

    connect(m_after, &QRadioButton::toggled, this, &PredictionGallery::showChosen);
    connect(m_mostWrongFirst, &QCheckBox::toggled, m_model, &PredictionModel::setMostWrongFirst);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_before);
    controls->addWidget(m_after);
    controls->addWidget(m_mostWrongFirst);
    controls->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    showChosen();
}

void PredictionGallery::setDataDir(const QString& dir)
{
    m_model->setDataDir(dir);
}

void PredictionGallery::addEvaluation(const TrainEvalEvent& event)
{
    (event.base_model ? m_base : m_latest) = event;
    showChosen();
}

void PredictionGallery::clear()
{
    m_base.reset();
    m_latest.reset();
    showChosen();
}

void PredictionGallery::showChosen()
{
    // Before the first adapter evaluation, "after" is still the base model.
    const std::optional<TrainEvalEvent>& shown = m_before->isChecked() || !m_latest ? m_base : m_latest;
    m_model->setPredictions(shown ? shown->predictions : std::vector<PhotoPrediction>{});
    if (!shown) {
        m_summary->setText(tr("The held-out photos appear here at the first evaluation."));
        return;
    }
    const int right = static_cast<int>(std::count_if(shown->predictions.begin(), shown->predictions.end(), isCorrect));
    const QString counted = tr("%1 of %2 right").arg(right).arg(shown->predictions.size());
    m_summary->setText(shown->base_model ? tr("Base model: %1").arg(counted)
                                         : tr("Step %1: %2").arg(shown->step).arg(counted));
}

} // namespace phototune::ui
