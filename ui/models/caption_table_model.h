#pragma once
// The project's photos as a table for the Captions step: photo, label, first caption (editable),
// tags and the caption's token count. Rows are the project's photo indices. The model keeps a copy
// of each photo so that views never read the project while a background job (auto-captioning)
// writes to it; call reload() once such a job is done.
//
// CaptionFilterProxy narrows the table by label, tag, "no caption" and free text.

#include "core/api/clip_engine.h"
#include "core/api/project.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace phototune::ui {

class CaptionTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PhotoColumn, LabelColumn, CaptionColumn, TagsColumn, TokensColumn, ColumnCount };
    enum Role {
        LabelRole = Qt::UserRole + 1,
        CaptionRole,    // the first caption, "" when there is none
        TagsRole,       // QStringList
        TokenCountRole, // int with start and end tokens; invalid without a model
        TooLongRole,    // the caption is longer than the model's context
    };

    explicit CaptionTableModel(QObject* parent = nullptr);

    // The project to show and edit; null shows nothing.
    void setProject(std::shared_ptr<PhotoProject> project);
    const std::shared_ptr<PhotoProject>& project() const { return m_project; }
    // Reads every photo from the project again (after it was changed outside the model).
    void reload();
    // The model that counts tokens; without one, no counts are shown.
    void setEngine(std::shared_ptr<ClipEngine> engine);
    bool countsTokens() const { return m_engine != nullptr; }
    int contextLength() const;
    // Token count of text, start and end tokens included; nothing without a model.
    std::optional<int> tokenCount(const QString& text) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Editing the caption column replaces the photo's first caption ("" removes it).
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    QString caption(int row) const;
    QStringList tags(int row) const;
    void setCaption(int row, const QString& caption);
    void setTags(int row, const QStringList& tags);

    // Bulk edits on rows (source rows); each returns how many photos changed.
    int addTag(const QList<int>& rows, const QString& tag);
    int removeTag(const QList<int>& rows, const QString& tag);
    int replaceInCaptions(const QList<int>& rows, const QString& find, const QString& replacement);

    // Every label and every tag in the project, sorted, for the filter choices.
    QStringList labels() const;
    QStringList allTags() const;

Q_SIGNALS:
    // Labels or tags were added or removed.
    void vocabularyChanged();

private:
    void storeCaptions(int row, std::vector<std::string> captions);
    void storeTags(int row, std::vector<std::string> tags);
    void emitRowChanged(int row);
    std::optional<int> cachedTokenCount(int row) const;

    std::shared_ptr<PhotoProject> m_project;
    std::shared_ptr<ClipEngine> m_engine;
    std::vector<ProjectPhoto> m_photos;
    // Counted the first time a view shows a row; -1: not counted yet.
    mutable std::vector<int> m_tokenCounts;
};

class CaptionFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CaptionFilterProxy(QObject* parent = nullptr);

    // Empty label or tag: any.
    void setLabel(const QString& label);
    void setTag(const QString& tag);
    void setUncaptionedOnly(bool uncaptionedOnly);
    // Case-insensitive, in the photo's path, caption or tags.
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_label;
    QString m_tag;
    QString m_text;
    bool m_uncaptionedOnly = false;
};

} // namespace phototune::ui
