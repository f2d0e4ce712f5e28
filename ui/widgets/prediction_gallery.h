#pragma once
// The held-out photos as the latest evaluation saw them: thumbnail, top-1 label and confidence,
// a green frame when right and a red one when wrong. "Before" shows the base model's evaluation,
// "after" the newest adapter evaluation; "most wrong first" puts wrong answers first, the most
// confident mistakes on top. Thumbnails decode on ThumbnailLoader's threads.

#include "core/api/training.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QStyledItemDelegate>
#include <QVector>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QListView;
class QRadioButton;

namespace phototune::ui {

class ThumbnailLoader;

class PredictionModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        TrueLabelRole = Qt::UserRole + 1,
        PredictedLabelRole,
        ConfidenceRole, // top-1 probability
        CorrectRole,
        PhotoRole,      // relative path
    };

    explicit PredictionModel(int edge, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    void setDataDir(const QString& dir);
    void setPredictions(const std::vector<PhotoPrediction>& predictions);
    void setMostWrongFirst(bool on);
    int edge() const;

private:
    void sortRows();
    QString fileOf(const PhotoPrediction& p) const;
    void storeThumbnail(const QString& path, const QImage& image);

    ThumbnailLoader* m_loader;
    QString m_dataDir; // where older runs' photos are found by their relative paths
    QVector<PhotoPrediction> m_rows;
    QHash<QString, QPixmap> m_thumbnails; // absolute path -> decoded thumbnail
    bool m_mostWrongFirst = false;
};

class PredictionDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

class PredictionGallery final : public QWidget {
    Q_OBJECT
public:
    explicit PredictionGallery(QWidget* parent = nullptr);

    // Where the photos of predictions without a file (runs from before it was recorded) are found by
    // their relative paths.
    void setDataDir(const QString& dir);
    void addEvaluation(const TrainEvalEvent& event);
    void clear();
    PredictionModel* model() const { return m_model; }

private:
    void showChosen();

    PredictionModel* m_model;
    QListView* m_view;
    QRadioButton* m_before;
    QRadioButton* m_after;
    QCheckBox* m_mostWrongFirst;
    QLabel* m_summary;
    std::optional<TrainEvalEvent> m_base;
    std::optional<TrainEvalEvent> m_latest;
};

} // namespace phototune::ui
