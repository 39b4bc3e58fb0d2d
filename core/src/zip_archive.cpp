// Zip archives for fabrication packages through libzip: deterministic writing in memory (fixed
// timestamps, fixed modes, entries in the given order) and reading back.

#include "telar/core/package.h"
#include "telar/error.h"

#include <zip.h>

#include <cstdio>
#include <ctime>
#include <memory>

namespace telar::core {

namespace {

std::string zipErrorText(zip_error_t* error) {
    return zip_error_strerror(error);
}

std::string archiveError(zip_t* za) {
    return zip_strerror(za);
}

// 1980-01-01 12:00 local time: libzip stores DOS times in local time, so the time_t is taken
// from the local calendar and every machine writes the same DOS fields.
time_t fixedTime() {
    std::tm tm{};
    tm.tm_year = 80;
    tm.tm_mon = 0;
    tm.tm_mday = 1;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

struct SourceFree {
    void operator()(zip_source_t* s) const { zip_source_free(s); }
};

} // namespace

std::string zipBytes(const std::vector<PackageFile>& files) {
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFree> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!buffer) {
        std::string msg = zipErrorText(&error);
        zip_error_fini(&error);
        throw Error("cannot create a zip buffer: " + msg);
    }
    zip_source_keep(buffer.get()); // the archive takes a reference; we keep ours to read the result
    zip_t* za = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
    if (!za) {
        std::string msg = zipErrorText(&error);
        zip_error_fini(&error);
        zip_source_free(buffer.get()); // drop the reference the archive did not take
        throw Error("cannot create a zip archive: " + msg);
    }
    zip_error_fini(&error);
    const time_t mtime = fixedTime();
    for (const auto& f : files) {
        if (!isSafePackagePath(f.path)) {
            zip_discard(za);
            throw Error("refusing to write '" + f.path + "' into a package: the path would leave it");
        }
        zip_source_t* src = zip_source_buffer(za, f.bytes.data(), f.bytes.size(), 0);
        if (!src) {
            std::string msg = archiveError(za);
            zip_discard(za);
            throw Error("zip: " + f.path + ": " + msg);
        }
        zip_int64_t index = zip_file_add(za, f.path.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            std::string msg = archiveError(za);
            zip_source_free(src);
            zip_discard(za);
            throw Error("zip: " + f.path + ": " + msg);
        }
        auto i = static_cast<zip_uint64_t>(index);
        if (zip_file_set_mtime(za, i, mtime, 0) < 0 ||
            zip_set_file_compression(za, i, ZIP_CM_DEFLATE, 9) < 0 ||
            zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, zip_uint32_t(0100644) << 16) < 0) {
            std::string msg = archiveError(za);
            zip_discard(za);
            throw Error("zip: " + f.path + ": " + msg);
        }
    }
    if (zip_close(za) < 0) {
        std::string msg = archiveError(za);
        zip_discard(za);
        throw Error("cannot write the zip archive: " + msg);
    }
    zip_source_t* src = buffer.get();
    if (zip_source_open(src) < 0) throw Error("cannot read the zip archive back");
    std::string out;
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    if (size > 0) {
        out.resize(static_cast<size_t>(size));
        zip_int64_t got = zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size));
        if (got != size) {
            zip_source_close(src);
            throw Error("cannot read the zip archive back");
        }
    }
    zip_source_close(src);
    return out;
}

std::vector<PackageFile> readZip(const std::filesystem::path& file) {
    int code = 0;
    zip_t* za = zip_open(file.c_str(), ZIP_RDONLY, &code);
    if (!za) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        std::string msg = zipErrorText(&error);
        zip_error_fini(&error);
        throw Error("cannot open " + file.string() + ": " + msg);
    }
    std::vector<PackageFile> out;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, zip_uint64_t(i), 0, &st) < 0) {
            std::string msg = archiveError(za);
            zip_discard(za);
            throw Error(file.string() + ": " + msg);
        }
        zip_file_t* zf = zip_fopen_index(za, zip_uint64_t(i), 0);
        if (!zf) {
            std::string msg = archiveError(za);
            zip_discard(za);
            throw Error(file.string() + ": " + msg);
        }
        PackageFile f;
        f.path = st.name;
        f.bytes.resize(static_cast<size_t>(st.size));
        zip_int64_t got = f.bytes.empty() ? 0 : zip_fread(zf, f.bytes.data(), st.size);
        zip_fclose(zf);
        if (got != static_cast<zip_int64_t>(st.size)) {
            zip_discard(za);
            throw Error(file.string() + ": cannot read " + f.path);
        }
        out.push_back(std::move(f));
    }
    zip_discard(za);
    return out;
}

} // namespace telar::core
