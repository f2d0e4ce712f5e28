#include "core/io/safetensors.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace phototune {

namespace {

struct DTypeInfo {
    DType dtype;
    const char* name;
    std::size_t size;
};

constexpr std::array<DTypeInfo, 10> kDTypes = {{
    {DType::F64, "F64", 8},
    {DType::F32, "F32", 4},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8},
    {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},
    {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1},
}};

// Valid safetensors dtypes that PhotoTune does not handle: refused as Unsupported, not as damage.
constexpr std::array<const char*, 5> kForeignDTypes = {"U16", "U32", "U64", "F8_E4M3", "F8_E5M2"};

const DTypeInfo& info(DType dtype)
{
    for (const auto& entry : kDTypes)
        if (entry.dtype == dtype) return entry;
    throw Error(ErrorCategory::Internal, "unknown DType value " + std::to_string(static_cast<int>(dtype)));
}

// The reference implementation's limit; a larger header is hostile, not a model.
constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;
// A valid header nests three levels deep (object, entry, shape list); bound the parser's work.
constexpr int kMaxJsonDepth = 8;

using Json = nlohmann::json;

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& reason,
                         ErrorCategory category = ErrorCategory::InvalidInput)
{
    throw Error(category, "cannot read safetensors file '" + path_for_display(path) + "': " + reason +
                              (category == ErrorCategory::InvalidInput
                                   ? " (the file is damaged or not a safetensors file; download or export it again)"
                                   : ""));
}

std::string in_quotes(std::string_view name)
{
    return "'" + std::string(name) + "'";
}

std::string shape_text(const std::vector<std::int64_t>& shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// a * b, or nullopt when it does not fit in an int64 (both are non-negative).
std::optional<std::uint64_t> checked_multiply(std::uint64_t a, std::uint64_t b)
{
    constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (a != 0 && b > limit / a) return std::nullopt;
    return a * b;
}

// --- the memory mapping ---------------------------------------------------------------------------

// A private copy-on-write view of a whole file (see SafetensorsFile). Empty files have no view.
class Mapping {
public:
    explicit Mapping(const std::filesystem::path& path);
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping();

    const std::uint8_t* data() const { return static_cast<const std::uint8_t*>(m_view); }
    std::size_t size() const { return m_size; }

private:
    void* m_view = nullptr;
    std::size_t m_size = 0;
};

#ifdef _WIN32

Mapping::Mapping(const std::filesystem::path& path)
{
    HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) {
        const DWORD code = GetLastError();
        const bool missing = code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND;
        throw Error(missing ? ErrorCategory::NotFound : ErrorCategory::Io,
                    "cannot open '" + path_for_display(path) + "': " +
                        (missing ? std::string("no such file") : "Windows error " + std::to_string(code)));
    }
    const auto fail = [&](const char* what) {
        const DWORD code = GetLastError();
        CloseHandle(file);
        throw Error(ErrorCategory::Io, "cannot " + std::string(what) + " '" + path_for_display(path) +
                                           "': Windows error " + std::to_string(code));
    };
    LARGE_INTEGER size{};
    if (!GetFileSizeEx(file, &size)) fail("get the size of");
    if (static_cast<unsigned long long>(size.QuadPart) > std::numeric_limits<std::size_t>::max()) {
        CloseHandle(file);
        refuse(path, "the file is too large to map on this system", ErrorCategory::Unsupported);
    }
    if (size.QuadPart > 0) {
        // PAGE_WRITECOPY / FILE_MAP_COPY: the private copy-on-write view described in the header.
        HANDLE section = CreateFileMappingW(file, nullptr, PAGE_WRITECOPY, 0, 0, nullptr);
        if (!section) fail("map");
        m_view = MapViewOfFile(section, FILE_MAP_COPY, 0, 0, 0);
        const DWORD code = GetLastError();
        CloseHandle(section); // the view keeps the section alive
        if (!m_view) {
            SetLastError(code);
            fail("map");
        }
        m_size = static_cast<std::size_t>(size.QuadPart);
    }
    CloseHandle(file);
}

Mapping::~Mapping()
{
    if (m_view) UnmapViewOfFile(m_view);
}

#else

Mapping::Mapping(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const bool missing = errno == ENOENT || errno == ENOTDIR;
        throw Error(missing ? ErrorCategory::NotFound : ErrorCategory::Io,
                    "cannot open '" + path_for_display(path) + "': " + (missing ? "no such file" : std::strerror(errno)));
    }
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        ::close(fd);
        throw Error(ErrorCategory::InvalidInput, "cannot read '" + path_for_display(path) + "': not a regular file");
    }
    if (static_cast<std::uintmax_t>(status.st_size) > std::numeric_limits<std::size_t>::max()) {
        ::close(fd);
        refuse(path, "the file is too large to map on this system", ErrorCategory::Unsupported);
    }
    const auto size = static_cast<std::size_t>(status.st_size);
    if (size > 0) {
        // MAP_PRIVATE + PROT_WRITE: an accidental in-place write lands in a private page instead
        // of crashing or changing the file.
        void* view = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (view == MAP_FAILED) {
            const int code = errno;
            ::close(fd);
            throw Error(ErrorCategory::Io,
                        "cannot map '" + path_for_display(path) + "' into memory: " + std::strerror(code));
        }
        m_view = view;
        m_size = size;
    }
    ::close(fd);
}

Mapping::~Mapping()
{
    if (m_view) ::munmap(m_view, m_size);
}

#endif

// --- header validation ----------------------------------------------------------------------------

std::uint64_t read_u64_le(const std::uint8_t* bytes)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
    return value;
}

// Parses the header JSON, refusing duplicate keys (which a plain parse would silently merge) and
// absurd nesting.
Json parse_header(const std::filesystem::path& path, std::string_view text)
{
    struct TooDeep {};
    struct Duplicate {
        std::string key;
        bool top_level;
    };
    std::vector<std::set<std::string>> open_objects; // keys seen so far in each enclosing object
    const Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
        switch (event) {
        case Json::parse_event_t::array_start:
        case Json::parse_event_t::object_start:
            if (depth > kMaxJsonDepth) throw TooDeep{};
            if (event == Json::parse_event_t::object_start) open_objects.emplace_back();
            break;
        case Json::parse_event_t::object_end:
            open_objects.pop_back();
            break;
        case Json::parse_event_t::key:
            if (!open_objects.back().insert(parsed.get<std::string>()).second)
                throw Duplicate{parsed.get<std::string>(), open_objects.size() == 1};
            break;
        default:
            break;
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), callback);
    } catch (const Json::exception& e) {
        refuse(path, std::string("header is not valid JSON: ") + e.what());
    } catch (const TooDeep&) {
        refuse(path, "header JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    } catch (const Duplicate& duplicate) {
        refuse(path, (duplicate.top_level ? "tensor name " : "key ") + in_quotes(duplicate.key) +
                         " appears twice in " + (duplicate.top_level ? "the header" : "one object"));
    }
}

std::map<std::string, std::string> parse_metadata(const std::filesystem::path& path, const Json& value)
{
    if (!value.is_object()) refuse(path, "__metadata__ is not a JSON object");
    std::map<std::string, std::string> metadata;
    for (const auto& [key, entry] : value.items()) {
        if (!entry.is_string()) refuse(path, "metadata value of " + in_quotes(key) + " is not a string");
        metadata.emplace(key, entry.get<std::string>());
    }
    return metadata;
}

DType parse_dtype(const std::filesystem::path& path, const std::string& name, const Json& entry)
{
    const auto field = entry.find("dtype");
    if (field == entry.end() || !field->is_string())
        refuse(path, "tensor " + in_quotes(name) + " has no dtype string");
    const auto text = field->get<std::string>();
    if (const auto dtype = dtype_from_name(text)) return *dtype;
    if (std::find(kForeignDTypes.begin(), kForeignDTypes.end(), text) != kForeignDTypes.end())
        refuse(path, "tensor " + in_quotes(name) + " has dtype " + text +
                         ", which PhotoTune does not support; convert the file to F32, F16 or BF16",
               ErrorCategory::Unsupported);
    refuse(path, "tensor " + in_quotes(name) + " has unknown dtype " + in_quotes(text));
}

std::vector<std::int64_t> parse_shape(const std::filesystem::path& path, const std::string& name, const Json& entry)
{
    const auto field = entry.find("shape");
    const auto complaint = "shape of tensor " + in_quotes(name) + " is not a list of non-negative integers";
    if (field == entry.end() || !field->is_array()) refuse(path, complaint);
    std::vector<std::int64_t> shape;
    for (const auto& dim : *field) {
        if (!dim.is_number_unsigned() ||
            dim.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            refuse(path, complaint);
        shape.push_back(static_cast<std::int64_t>(dim.get<std::uint64_t>()));
    }
    return shape;
}

struct Extent {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

Extent parse_offsets(const std::filesystem::path& path, const std::string& name, const Json& entry,
                     std::uint64_t data_size)
{
    const auto field = entry.find("data_offsets");
    if (field == entry.end() || !field->is_array() || field->size() != 2 || !(*field)[0].is_number_unsigned() ||
        !(*field)[1].is_number_unsigned())
        refuse(path, "data_offsets of tensor " + in_quotes(name) + " are not two non-negative integers");
    const Extent extent{(*field)[0].get<std::uint64_t>(), (*field)[1].get<std::uint64_t>()};
    if (extent.begin > extent.end)
        refuse(path, "data_offsets of tensor " + in_quotes(name) + " are reversed (begin " + std::to_string(extent.begin) +
                         " > end " + std::to_string(extent.end) + ")");
    if (extent.end > data_size)
        refuse(path, "data_offsets of tensor " + in_quotes(name) + " end at byte " + std::to_string(extent.end) +
                         ", past the end of the data (" + std::to_string(data_size) + " bytes)");
    return extent;
}

std::uint64_t byte_count(const std::filesystem::path& path, const std::string& name, DType dtype,
                         const std::vector<std::int64_t>& shape)
{
    std::optional<std::uint64_t> bytes = dtype_size(dtype);
    for (const auto dim : shape) {
        bytes = checked_multiply(*bytes, static_cast<std::uint64_t>(dim));
        if (!bytes) refuse(path, "shape " + shape_text(shape) + " of tensor " + in_quotes(name) + " overflows");
    }
    return *bytes;
}

} // namespace

// --- dtypes ---------------------------------------------------------------------------------------

std::size_t dtype_size(DType dtype)
{
    return info(dtype).size;
}

const char* dtype_name(DType dtype)
{
    return info(dtype).name;
}

std::optional<DType> dtype_from_name(std::string_view name)
{
    for (const auto& entry : kDTypes)
        if (name == entry.name) return entry.dtype;
    return std::nullopt;
}

std::int64_t TensorView::numel() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

// --- reading --------------------------------------------------------------------------------------

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path)
{
    auto mapping = std::make_shared<const Mapping>(path);
    const std::uint8_t* bytes = mapping->data();
    const std::uint64_t size = mapping->size();
    if (size < 8) refuse(path, "the file is " + std::to_string(size) + " bytes long, shorter than the 8-byte header length");

    const std::uint64_t header_size = read_u64_le(bytes);
    if (header_size > kMaxHeaderBytes)
        refuse(path, "header length " + std::to_string(header_size) + " exceeds the limit of " +
                         std::to_string(kMaxHeaderBytes) + " bytes");
    if (header_size > size - 8)
        refuse(path, "header length " + std::to_string(header_size) + " runs past the end of the file (" +
                         std::to_string(size) + " bytes)");
    const std::string_view header_text(reinterpret_cast<const char*>(bytes + 8), header_size);
    const std::uint8_t* data = bytes + 8 + header_size;
    const std::uint64_t data_size = size - 8 - header_size;

    const Json header = parse_header(path, header_text);
    if (!header.is_object()) refuse(path, "header is not a JSON object");

    SafetensorsFile file;
    std::vector<Extent> extents;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            file.m_metadata = parse_metadata(path, entry);
            continue;
        }
        if (!entry.is_object()) refuse(path, "entry " + in_quotes(name) + " is not an object");
        TensorView view;
        view.name = name;
        view.dtype = parse_dtype(path, name, entry);
        view.shape = parse_shape(path, name, entry);
        const Extent extent = parse_offsets(path, name, entry, data_size);
        const std::uint64_t expected = byte_count(path, name, view.dtype, view.shape);
        if (expected != extent.end - extent.begin)
            refuse(path, "tensor " + in_quotes(name) + " has shape " + shape_text(view.shape) + " of " +
                             dtype_name(view.dtype) + " = " + std::to_string(expected) + " bytes, but its data_offsets span " +
                             std::to_string(extent.end - extent.begin) + " bytes");
        view.bytes = {data + extent.begin, static_cast<std::size_t>(extent.end - extent.begin)};
        // A bool byte other than 0 or 1 is undefined behaviour for whoever reads it as bool.
        if (view.dtype == DType::BOOL &&
            std::any_of(view.bytes.begin(), view.bytes.end(), [](std::uint8_t byte) { return byte > 1; }))
            refuse(path, "BOOL tensor " + in_quotes(name) + " holds a byte other than 0 or 1");
        file.m_tensors.push_back(std::move(view));
        extents.push_back(extent);
    }

    // The data must be tiled exactly: no overlap, no gap, nothing after the last tensor.
    std::vector<std::size_t> order(file.m_tensors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(extents[a].begin, extents[a].end) < std::tie(extents[b].begin, extents[b].end);
    });
    std::uint64_t covered = 0;
    const std::string* previous = nullptr;
    for (const auto i : order) {
        const auto& name = file.m_tensors[i].name;
        if (extents[i].begin < covered)
            refuse(path, "data of tensor " + in_quotes(name) + " overlaps tensor " + in_quotes(previous ? *previous : ""));
        if (extents[i].begin > covered)
            refuse(path, "gap of " + std::to_string(extents[i].begin - covered) + " bytes before tensor " + in_quotes(name) +
                             " (the data is not contiguous)");
        covered = extents[i].end;
        previous = &name;
    }
    if (covered != data_size)
        refuse(path, "trailing garbage: " + std::to_string(data_size - covered) + " bytes after the last tensor");

    std::vector<TensorView> sorted;
    sorted.reserve(order.size());
    for (const auto i : order) sorted.push_back(std::move(file.m_tensors[i]));
    file.m_tensors = std::move(sorted);
    for (std::size_t i = 0; i < file.m_tensors.size(); ++i) file.m_index.emplace(file.m_tensors[i].name, i);
    file.m_path = path;
    file.m_mapping = std::move(mapping);
    return file;
}

const TensorView* SafetensorsFile::find(std::string_view name) const
{
    const auto found = m_index.find(name);
    return found == m_index.end() ? nullptr : &m_tensors[found->second];
}

const TensorView& SafetensorsFile::at(std::string_view name) const
{
    if (const auto* view = find(name)) return *view;
    throw Error(ErrorCategory::NotFound,
                "tensor " + in_quotes(name) + " is not in '" + path_for_display(m_path) + "'");
}

// --- writing --------------------------------------------------------------------------------------

void write_safetensors(const std::filesystem::path& path, std::span<const TensorToWrite> tensors,
                       const std::map<std::string, std::string>& metadata)
{
    const auto display = path_for_display(path);
    const auto reject = [&](const std::string& reason) {
        throw Error(ErrorCategory::InvalidInput, "cannot write safetensors file '" + display + "': " + reason);
    };

    // Largest dtype first, then by name, like the reference writer: with the data starting on an
    // 8-byte boundary every tensor is then aligned for its dtype, so readers can map it in place.
    std::vector<const TensorToWrite*> order;
    for (const auto& tensor : tensors) order.push_back(&tensor);
    std::sort(order.begin(), order.end(), [](const TensorToWrite* a, const TensorToWrite* b) {
        const auto size_a = dtype_size(a->dtype), size_b = dtype_size(b->dtype);
        return size_a != size_b ? size_a > size_b : a->name < b->name;
    });

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto* tensor : order) {
        if (tensor->name == "__metadata__") reject("'__metadata__' is reserved and cannot name a tensor");
        if (header.contains(tensor->name)) reject("tensor name " + in_quotes(tensor->name) + " is used twice");
        std::optional<std::uint64_t> expected = dtype_size(tensor->dtype);
        for (const auto dim : tensor->shape) {
            if (dim < 0) reject("tensor " + in_quotes(tensor->name) + " has a negative dimension in " + shape_text(tensor->shape));
            expected = checked_multiply(*expected, static_cast<std::uint64_t>(dim));
            if (!expected) reject("shape " + shape_text(tensor->shape) + " of tensor " + in_quotes(tensor->name) + " overflows");
        }
        if (*expected != tensor->bytes.size())
            reject("tensor " + in_quotes(tensor->name) + " has shape " + shape_text(tensor->shape) + " of " +
                   dtype_name(tensor->dtype) + " = " + std::to_string(*expected) + " bytes, but " +
                   std::to_string(tensor->bytes.size()) + " bytes were given");
        header[tensor->name] = {{"dtype", dtype_name(tensor->dtype)},
                                {"shape", tensor->shape},
                                {"data_offsets", {offset, offset + tensor->bytes.size()}}};
        offset += tensor->bytes.size();
    }

    std::string header_text;
    try {
        header_text = header.dump();
    } catch (const nlohmann::ordered_json::exception&) {
        reject("a tensor name or metadata string is not valid UTF-8");
    }
    header_text.append((8 - header_text.size() % 8) % 8, ' ');

    std::array<std::uint8_t, 8> length{};
    for (std::size_t i = 0; i < 8; ++i) length[i] = static_cast<std::uint8_t>(header_text.size() >> (8 * i));
    std::vector<std::span<const std::uint8_t>> pieces;
    pieces.emplace_back(length);
    pieces.emplace_back(reinterpret_cast<const std::uint8_t*>(header_text.data()), header_text.size());
    for (const auto* tensor : order) pieces.push_back(tensor->bytes);
    write_file_atomic(path, pieces);
}

} // namespace phototune
