// The hardware probe answers on any machine: CPU and memory from the OS, GPUs through NVML when
// a driver is there and a note when it is not.
#include "core/hw/device_probe.h"

#include <QtTest>

using namespace phototune;

class TestDeviceProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void probes_this_machine();
    void parses_cpuinfo();
    void parses_meminfo();
    void survives_garbage();
    void describes_gpus();
};

void TestDeviceProbe::probes_this_machine()
{
    DeviceProbe probe = probe_devices();
    QVERIFY(probe.cpu_cores >= 1);
    QVERIFY(probe.cpu_logical_threads >= probe.cpu_cores);
    QVERIFY(probe.ram_total_bytes > 0);
    QVERIFY(probe.ram_available_bytes > 0 && probe.ram_available_bytes <= probe.ram_total_bytes);
    // No GPU is a normal answer with a note; a GPU, where there is one, comes with its memory.
    if (probe.gpus.empty()) QVERIFY(!probe.notes.empty());
    for (const auto& gpu : probe.gpus) QVERIFY(gpu.memory_total_bytes > 0 && !gpu.name.empty());
    QVERIFY(!probe.torch_cuda_available.has_value());
    probe.torch_cuda_available = false;
    const std::string text = describe(probe);
    QVERIFY(text.starts_with("CPU: "));
    QVERIFY(text.find("RAM: ") != std::string::npos);
    QVERIFY(text.find("LibTorch CUDA: not available") != std::string::npos);
    qInfo("%s", text.c_str());
}

void TestDeviceProbe::parses_cpuinfo()
{
    // Two sockets, two cores each, two threads per core (8 logical processors).
    std::string text;
    int processor = 0;
    for (int socket = 0; socket < 2; ++socket)
        for (int core = 0; core < 2; ++core)
            for (int thread = 0; thread < 2; ++thread)
                text += "processor\t: " + std::to_string(processor++) +
                        "\nmodel name\t: Example CPU @ 3.00GHz\nphysical id\t: " + std::to_string(socket) +
                        "\ncore id\t\t: " + std::to_string(core) +
                        "\nflags\t\t: fpu sse2 avx avx2 avx512f avx512bw avx512_bf16 amx_tile\n\n";
    DeviceProbe probe;
    parse_proc_cpuinfo(text, probe);
    QCOMPARE(probe.cpu_model, std::string("Example CPU @ 3.00GHz"));
    QCOMPARE(probe.cpu_logical_threads, 8);
    QCOMPARE(probe.cpu_cores, 4);
    QVERIFY(probe.cpu_flags.avx2 && probe.cpu_flags.avx512f && probe.cpu_flags.avx512_bf16);
    QVERIFY(!probe.cpu_flags.amx_bf16); // amx_tile alone is not amx_bf16
}

void TestDeviceProbe::parses_meminfo()
{
    DeviceProbe probe;
    parse_proc_meminfo("MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    8192000 kB\nHugePages_Total:       0\n",
                       probe);
    QCOMPARE(probe.ram_total_bytes, std::uint64_t{16384000} * 1024);
    QCOMPARE(probe.ram_available_bytes, std::uint64_t{8192000} * 1024);
    DeviceProbe old_kernel;
    parse_proc_meminfo("MemTotal: 2048 kB\nMemFree: 1024 kB\n", old_kernel);
    QCOMPARE(old_kernel.ram_available_bytes, std::uint64_t{1024} * 1024);
}

void TestDeviceProbe::survives_garbage()
{
    DeviceProbe probe;
    parse_proc_cpuinfo(std::string("\0\xff:::\nflags\nprocessor:\n", 24), probe);
    parse_proc_meminfo("MemTotal: lots\n\xff\xfe", probe);
    QCOMPARE(probe.ram_total_bytes, std::uint64_t{0});
    QVERIFY(!describe(probe).empty());
}

void TestDeviceProbe::describes_gpus()
{
    DeviceProbe probe;
    probe.cpu_model = "Example";
    probe.gpus.push_back({0, "NVIDIA GeForce RTX 3060", 12ull << 30, 11ull << 30, 8, 6});
    probe.nvidia_driver_version = "550.54";
    const std::string text = describe(probe);
    QVERIFY2(text.find("GPU 0: NVIDIA GeForce RTX 3060, 12.0 GiB (11.0 GiB free), compute capability 8.6") !=
                 std::string::npos,
             text.c_str());
    QVERIFY(text.find("NVIDIA driver: 550.54") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestDeviceProbe)
#include "test_device_probe.moc"
