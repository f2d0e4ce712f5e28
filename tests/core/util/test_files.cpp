// Atomic writes: the target holds the old content or the new, never a mix; errors name the file.
#include "core/util/error.h"
#include "core/util/files.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace phototune;

class TestFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writes_and_replaces();
    void failure_keeps_previous_file();
    void missing_file_is_not_found();
    void unicode_names();
};

void TestFiles::writes_and_replaces()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/a.txt";
    write_file_atomic(path, "first");
    QCOMPARE(read_text_file(path), std::string("first"));
    write_file_atomic(path, "second, longer");
    QCOMPARE(read_text_file(path), std::string("second, longer"));
    // No temporary file is left behind.
    int count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path().toStdString())) ++count;
    QCOMPARE(count, 1);
}

void TestFiles::failure_keeps_previous_file()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/no-such-folder/a.txt";
    try {
        write_file_atomic(path, "x");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::Io);
        QVERIFY(std::string(e.what()).find("no-such-folder/a.txt") != std::string::npos);
    }
}

void TestFiles::missing_file_is_not_found()
{
    try {
        read_text_file("/definitely/not/here.json");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("/definitely/not/here.json") != std::string::npos);
    }
}

void TestFiles::unicode_names()
{
    QTemporaryDir dir;
    const auto path = std::filesystem::path(dir.path().toStdString()) / std::filesystem::path(u8"사진 📷.txt");
    write_file_atomic(path, "ok");
    QCOMPARE(read_text_file(path), std::string("ok"));
}

QTEST_GUILESS_MAIN(TestFiles)
#include "test_files.moc"
