#include "ui/models/caption_table_model.h"

#include "ui/support/qt_convert.h"

#include <QBrush>

#include <algorithm>
#include <set>

namespace phototune::ui {
namespace {

constexpr int kNotCounted = -1;
constexpr int kDefaultContextLength = 77; // CLIP's

QString fromUtf8(const std::string& text)
{
    return QString::fromStdString(text);
}

std::string toUtf8(const QString& text)
{
    return text.toStdString();
}

QStringList toStringList(const std::vector<std::string>& texts)
{
    QStringList list;
    list.reserve(static_cast<qsizetype>(texts.size()));
    for (const std::string& text : texts) list.append(fromUtf8(text));
    return list;
}

} // namespace

CaptionTableModel::CaptionTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void CaptionTableModel::setProject(std::shared_ptr<PhotoProject> project)
{
    m_project = std::move(project);
    reload();
}

void CaptionTableModel::reload()
{
    beginResetModel();
    m_photos = m_project ? m_project->photos() : std::vector<ProjectPhoto>{};
    m_tokenCounts.assign(m_photos.size(), kNotCounted);
    endResetModel();
    Q_EMIT vocabularyChanged();
}

void CaptionTableModel::setEngine(std::shared_ptr<ClipEngine> engine)
{
    m_engine = std::move(engine);
    std::fill(m_tokenCounts.begin(), m_tokenCounts.end(), kNotCounted);
    if (!m_photos.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int CaptionTableModel::contextLength() const
{
    return m_engine ? m_engine->summary().context_length : kDefaultContextLength;
}

std::optional<int> CaptionTableModel::tokenCount(const QString& text) const
{
    if (!m_engine) return std::nullopt;
    const auto counts = m_engine->token_counts({toUtf8(text)});
    if (!counts) return std::nullopt;
    return counts->front();
}

std::optional<int> CaptionTableModel::cachedTokenCount(int row) const
{
    if (!m_engine || m_photos[row].captions.empty()) return std::nullopt;
    int& count = m_tokenCounts[row];
    if (count == kNotCounted) count = tokenCount(caption(row)).value_or(kNotCounted);
    if (count == kNotCounted) return std::nullopt;
    return count;
}

int CaptionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_photos.size());
}

int CaptionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CaptionTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const int row = index.row();
    const ProjectPhoto& photo = m_photos[row];
    switch (role) {
    case LabelRole: return fromUtf8(photo.label);
    case CaptionRole: return caption(row);
    case TagsRole: return tags(row);
    case TokenCountRole: {
        const auto count = cachedTokenCount(row);
        return count ? QVariant(*count) : QVariant();
    }
    case TooLongRole: {
        const auto count = cachedTokenCount(row);
        return count && *count > contextLength();
    }
    case Qt::ToolTipRole:
        if (index.column() == TokensColumn && !m_engine) return tr("Choose a CLIP model to count tokens.");
        if (index.column() == TokensColumn && data(index, TooLongRole).toBool())
            return tr("Longer than the model's %1 tokens: the end will be cut off.").arg(contextLength());
        return index.column() == PhotoColumn ? QVariant(toQString(photo.path)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == TokensColumn && data(index, TooLongRole).toBool()) return QBrush(Qt::red);
        return {};
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case PhotoColumn: return fromUtf8(photo.relative_path);
        case LabelColumn: return fromUtf8(photo.label);
        case CaptionColumn: return caption(row);
        case TagsColumn: return tags(row).join(QStringLiteral(", "));
        case TokensColumn: {
            const auto count = cachedTokenCount(row);
            return count ? QVariant(*count) : QVariant();
        }
        default: return {};
        }
    default: return {};
    }
}

QVariant CaptionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case PhotoColumn: return tr("Photo");
    case LabelColumn: return tr("Label");
    case CaptionColumn: return tr("Caption");
    case TagsColumn: return tr("Tags");
    case TokensColumn: return tr("Tokens");
    default: return {};
    }
}

Qt::ItemFlags CaptionTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == CaptionColumn) flags |= Qt::ItemIsEditable;
    return flags;
}

bool CaptionTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != CaptionColumn || role != Qt::EditRole) return false;
    setCaption(index.row(), value.toString());
    return true;
}

QString CaptionTableModel::caption(int row) const
{
    const ProjectPhoto& photo = m_photos[row];
    return photo.captions.empty() ? QString() : fromUtf8(photo.captions.front());
}

QStringList CaptionTableModel::tags(int row) const
{
    return toStringList(m_photos[row].tags);
}

void CaptionTableModel::setCaption(int row, const QString& caption)
{
    // Only the first caption is edited here; a sidecar's further lines stay as they are.
    std::vector<std::string> captions = m_photos[row].captions;
    const QString trimmed = caption.trimmed();
    if (trimmed.isEmpty()) {
        if (!captions.empty()) captions.erase(captions.begin());
    } else if (captions.empty()) {
        captions.push_back(toUtf8(trimmed));
    } else {
        captions.front() = toUtf8(trimmed);
    }
    if (captions != m_photos[row].captions) storeCaptions(row, std::move(captions));
}

void CaptionTableModel::setTags(int row, const QStringList& tags)
{
    std::vector<std::string> values;
    for (const QString& tag : tags) {
        const std::string value = toUtf8(tag.trimmed());
        if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
    }
    if (values == m_photos[row].tags) return;
    storeTags(row, std::move(values));
    Q_EMIT vocabularyChanged();
}

int CaptionTableModel::addTag(const QList<int>& rows, const QString& tag)
{
    const std::string value = toUtf8(tag.trimmed());
    if (value.empty()) return 0;
    int changed = 0;
    for (const int row : rows) {
        std::vector<std::string> tags = m_photos[row].tags;
        if (std::find(tags.begin(), tags.end(), value) != tags.end()) continue;
        tags.push_back(value);
        storeTags(row, std::move(tags));
        ++changed;
    }
    if (changed > 0) Q_EMIT vocabularyChanged();
    return changed;
}

int CaptionTableModel::removeTag(const QList<int>& rows, const QString& tag)
{
    const std::string value = toUtf8(tag.trimmed());
    int changed = 0;
    for (const int row : rows) {
        std::vector<std::string> tags = m_photos[row].tags;
        const auto kept = std::remove(tags.begin(), tags.end(), value);
        if (kept == tags.end()) continue;
        tags.erase(kept, tags.end());
        storeTags(row, std::move(tags));
        ++changed;
    }
    if (changed > 0) Q_EMIT vocabularyChanged();
    return changed;
}

int CaptionTableModel::replaceInCaptions(const QList<int>& rows, const QString& find, const QString& replacement)
{
    if (find.isEmpty()) return 0;
    int changed = 0;
    for (const int row : rows) {
        std::vector<std::string> captions = m_photos[row].captions;
        bool rowChanged = false;
        for (std::string& text : captions) {
            QString caption = fromUtf8(text);
            if (!caption.contains(find)) continue;
            text = toUtf8(caption.replace(find, replacement));
            rowChanged = true;
        }
        if (!rowChanged) continue;
        storeCaptions(row, std::move(captions));
        ++changed;
    }
    return changed;
}

QStringList CaptionTableModel::labels() const
{
    std::set<QString> labels;
    for (const ProjectPhoto& photo : m_photos) labels.insert(fromUtf8(photo.label));
    return QStringList(labels.begin(), labels.end());
}

QStringList CaptionTableModel::allTags() const
{
    std::set<QString> tags;
    for (const ProjectPhoto& photo : m_photos)
        for (const std::string& tag : photo.tags) tags.insert(fromUtf8(tag));
    return QStringList(tags.begin(), tags.end());
}

void CaptionTableModel::storeCaptions(int row, std::vector<std::string> captions)
{
    m_project->set_captions(static_cast<std::size_t>(row), captions);
    m_photos[row].captions = std::move(captions);
    m_tokenCounts[row] = kNotCounted;
    emitRowChanged(row);
}

void CaptionTableModel::storeTags(int row, std::vector<std::string> tags)
{
    m_project->set_tags(static_cast<std::size_t>(row), tags);
    m_photos[row].tags = std::move(tags);
    emitRowChanged(row);
}

void CaptionTableModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

CaptionFilterProxy::CaptionFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void CaptionFilterProxy::setLabel(const QString& label)
{
    m_label = label;
    invalidateFilter();
}

void CaptionFilterProxy::setTag(const QString& tag)
{
    m_tag = tag;
    invalidateFilter();
}

void CaptionFilterProxy::setUncaptionedOnly(bool uncaptionedOnly)
{
    m_uncaptionedOnly = uncaptionedOnly;
    invalidateFilter();
}

void CaptionFilterProxy::setText(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool CaptionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString caption = index.data(CaptionTableModel::CaptionRole).toString();
    const QStringList tags = index.data(CaptionTableModel::TagsRole).toStringList();
    if (!m_label.isEmpty() && index.data(CaptionTableModel::LabelRole).toString() != m_label) return false;
    if (!m_tag.isEmpty() && !tags.contains(m_tag)) return false;
    if (m_uncaptionedOnly && !caption.isEmpty()) return false;
    if (m_text.isEmpty()) return true;
    return index.data(Qt::DisplayRole).toString().contains(m_text, Qt::CaseInsensitive) ||
           caption.contains(m_text, Qt::CaseInsensitive) || tags.join(u' ').contains(m_text, Qt::CaseInsensitive);
}

} // namespace phototune::ui
