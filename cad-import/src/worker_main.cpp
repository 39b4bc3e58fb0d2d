// telar-cad-worker: analyses CAD files for a parent process (see worker_protocol.h), so that
// OpenCASCADE's process-global reader state is never shared between two files being read at once
// and a crash in OpenCASCADE costs one file, not the caller.
//   telar-cad-worker            serve requests on stdin/stdout
//   telar-cad-worker [--no-check] [--no-obb] FILE...
//                               print one JSON result (or error) per line, for inspection
#include "telar/cad/analyze.h"
#include "telar/cad/serialize.h"
#include "telar/error.h"
#include "worker_protocol.h"

#include <cstdio>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

bool readExactly(int fd, char* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, data + done, size - done);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool readLine(int fd, std::string& line) {
    line.clear();
    char c;
    while (true) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0) return false;
        if (c == '\n') return true;
        line.push_back(c);
        if (line.size() > (1u << 20)) return false;
    }
}

bool writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string frame(const char* tag, const std::string& payload) {
    return std::string(tag) + " " + std::to_string(payload.size()) + "\n" + payload;
}

int serve(int in, int out) {
    std::string header;
    while (readLine(in, header)) {
        std::string reply;
        try {
            const nlohmann::json request = nlohmann::json::parse(header);
            const std::string name = request.at("name").get<std::string>();
            const long long size = request.at("size").get<long long>();
            const telar::cad::AnalyzeOptions options = telar::cad::detail::optionsFromJson(request.at("options"));
            try {
                telar::cad::AnalysisResult result;
                if (size >= 0) {
                    std::string bytes(static_cast<std::size_t>(size), '\0');
                    if (!readExactly(in, bytes.data(), bytes.size())) return 1;
                    result = telar::cad::analyzeBytes(bytes, name, options);
                } else {
                    result = telar::cad::analyzeFile(request.at("path").get<std::string>(), name, options);
                }
                reply = frame("OK", telar::cad::toJson(result));
            } catch (const telar::CadError& e) {
                const std::string prefix = name + ": ";
                std::string reason = e.what();
                if (reason.rfind(prefix, 0) == 0) reason.erase(0, prefix.size());
                reply = frame("ERR", reason);
            } catch (const std::exception& e) {
                reply = frame("ERR", std::string("analysis failed: ") + e.what());
            }
        } catch (const std::exception& e) {
            reply = frame("ERR", std::string("bad request: ") + e.what());
        }
        if (!writeAll(out, reply)) return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // Keep the protocol channel private: anything else printing to stdout goes to /dev/null.
    const int out = ::dup(1);
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (out < 0 || devnull < 0) return 2;
    ::dup2(devnull, 1);
    if (argc <= 1) return serve(0, out);
    int status = 0;
    telar::cad::AnalyzeOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--no-check") {
            options.checkValidity = false;
            continue;
        }
        if (arg == "--no-obb") {
            options.orientedBox = false;
            continue;
        }
        std::string line;
        try {
            line = telar::cad::toJson(telar::cad::analyzeFile(arg, arg, options)) + "\n";
        } catch (const std::exception& e) {
            line = nlohmann::json({{"file", argv[i]}, {"error", e.what()}}).dump() + "\n";
            status = 1;
        }
        writeAll(out, line);
    }
    return status;
}
