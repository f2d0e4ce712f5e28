#include "ui/project_session.h"

#include "core/api/project.h"
#include "ui/support/async_call.h"
#include "ui/support/studio_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <utility>

namespace phototune::ui {
namespace {

using ProjectLoad = std::shared_ptr<Result<PhotoProject>>;

const QString kRecentKey = QStringLiteral("projects/recent");
constexpr int kMaxRecent = 8;
constexpr int kAutosaveDelayMs = 1500;
const QString kSuffix = QStringLiteral(".phototune.json");

std::filesystem::path toPath(const QString& path)
{
    return std::filesystem::path(path.toStdU16String());
}

QString baseName(const QString& file)
{
    QString name = QFileInfo(file).fileName();
    if (name.endsWith(kSuffix)) name.chop(kSuffix.size());
    else name = QFileInfo(file).completeBaseName();
    return name;
}

} // namespace

ProjectSession::ProjectSession(QObject* parent) : QObject(parent)
{
    m_autosave.setSingleShot(true);
    m_autosave.setInterval(kAutosaveDelayMs);
    connect(&m_autosave, &QTimer::timeout, this, [this] { save(); });
}

ProjectSession::~ProjectSession()
{
    if (m_autosave.isActive()) save(); // an edit of the last moments is not lost on quit
}

QString ProjectSession::projectsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/projects");
}

QStringList ProjectSession::recentProjects()
{
    return studioSettings().value(kRecentKey).toStringList();
}

QString ProjectSession::runsFolder() const
{
    if (m_file.isEmpty()) return {};
    const QFileInfo info(m_file);
    return info.absolutePath() + QLatin1Char('/') + baseName(m_file) + QStringLiteral("-runs");
}

void ProjectSession::newProject(const QString& name)
{
    QDir().mkpath(projectsFolder());
    QString file = projectsFolder() + QLatin1Char('/') + name + kSuffix;
    for (int n = 2; QFileInfo::exists(file); ++n)
        file = projectsFolder() + QLatin1Char('/') + name + QStringLiteral(" %1").arg(n) + kSuffix;
    auto empty = PhotoProject::from_scan(ScanRequest{{}, false});
    if (!empty) {
        Q_EMIT failed(QString::fromStdString(empty.failure().message));
        return;
    }
    // Named after the free file it got ("Holiday 2"), so the title, the file and the runs folder agree.
    adopt(std::make_shared<PhotoProject>(std::move(empty.value())), baseName(file), file);
    if (save()) remember(m_file);
}

void ProjectSession::open(const QString& file)
{
    const int generation = ++m_generation;
    runInBackground(
        this, [path = toPath(file)]() -> ProjectLoad { return std::make_shared<Result<PhotoProject>>(PhotoProject::open(path)); },
        [this, generation, file](const ProjectLoad& loaded) {
            if (generation != m_generation) return;
            if (!*loaded) {
                Q_EMIT failed(tr("Could not open the project %1: %2")
                                  .arg(QDir::toNativeSeparators(file), QString::fromStdString(loaded->failure().message)));
                return;
            }
            adopt(std::make_shared<PhotoProject>(std::move(loaded->value())), baseName(file), QFileInfo(file).absoluteFilePath());
            remember(m_file);
        });
}

void ProjectSession::addPaths(const QStringList& paths)
{
    std::vector<std::filesystem::path> scanned;
    for (const QString& path : paths) scanned.push_back(toPath(path));
    const int generation = m_generation;
    ++m_scansRunning;
    runInBackground(
        this,
        [scanned]() -> ProjectLoad {
            return std::make_shared<Result<PhotoProject>>(PhotoProject::from_scan(ScanRequest{scanned, false}));
        },
        [this, generation, paths](const ProjectLoad& result) {
            --m_scansRunning;
            if (generation != m_generation) return;
            if (!*result) {
                Q_EMIT failed(tr("Could not read %1: %2")
                                  .arg(QDir::toNativeSeparators(paths.join(QStringLiteral(", "))),
                                       QString::fromStdString(result->failure().message)));
                return;
            }
            auto project = std::make_shared<PhotoProject>(std::move(result->value()));
            if (m_held) m_pendingMerges.append({std::move(project), paths});
            else merge(std::move(project), paths);
        });
}

void ProjectSession::merge(std::shared_ptr<PhotoProject> scanned, const QStringList& paths)
{
    if (!m_project) {
        newProject(paths.isEmpty() ? tr("Untitled") : QFileInfo(paths.first()).fileName());
        if (!m_project) return;
    }
    const int added = static_cast<int>(m_project->add_photos_from(*scanned));
    if (added > 0) markEdited();
    Q_EMIT photosAdded(added, paths);
}

void ProjectSession::setHeld(bool held)
{
    m_held = held;
    if (held) return;
    const auto pending = std::exchange(m_pendingMerges, {});
    for (const auto& merge : pending) this->merge(merge.scanned, merge.paths);
    if (std::exchange(m_saveWhenReleased, false)) save();
}

void ProjectSession::markEdited()
{
    m_autosave.start();
}

bool ProjectSession::save()
{
    m_autosave.stop();
    if (!m_project || m_file.isEmpty()) return false;
    if (m_held) {
        m_saveWhenReleased = true;
        return true;
    }
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    const auto written = m_project->save(toPath(m_file));
    if (!written) {
        Q_EMIT failed(tr("Could not save the project to %1: %2")
                          .arg(QDir::toNativeSeparators(m_file), QString::fromStdString(written.failure().message)));
        return false;
    }
    Q_EMIT saved(m_file);
    return true;
}

bool ProjectSession::saveAs(const QString& file)
{
    QString target = QFileInfo(file).absoluteFilePath();
    if (!target.endsWith(kSuffix)) target = QFileInfo(target).absolutePath() + QLatin1Char('/') + baseName(target) + kSuffix;
    const QString previous = m_file;
    m_file = target;
    if (!save()) {
        m_file = previous;
        return false;
    }
    m_name = baseName(target);
    remember(m_file);
    Q_EMIT projectChanged();
    return true;
}

void ProjectSession::adopt(std::shared_ptr<PhotoProject> project, const QString& name, const QString& file)
{
    if (m_autosave.isActive()) save(); // the previous project's last edits
    ++m_generation;
    m_pendingMerges.clear();
    m_saveWhenReleased = false;
    m_project = std::move(project);
    m_name = name;
    m_file = file;
    Q_EMIT projectChanged();
}

void ProjectSession::remember(const QString& file)
{
    QSettings settings = studioSettings();
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
}

} // namespace phototune::ui
