#pragma once
// Runs a task on Qt's global thread pool and hands its result to a callback on context's thread.
// If context is destroyed first, the result is dropped (the watcher dies with it).

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace phototune::ui {

template <typename Task, typename Callback>
void runInBackground(QObject* context, Task task, Callback callback)
{
    using Result = std::invoke_result_t<Task>;
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, callback = std::move(callback)]() mutable {
                         watcher->deleteLater();
                         callback(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(std::move(task)));
}

} // namespace phototune::ui
