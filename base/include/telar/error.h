#pragma once
// The one error family of Telar. Every failure that crosses a library boundary is one of these,
// carrying a message a user can act on. Expected outcomes ("not found", "nothing to commit")
// are return values, not exceptions.

#include <stdexcept>
#include <string>
#include <utility>

namespace telar {

// Base of every Telar error. what() is the full, user-facing message.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A manifest (telar.toml, module.toml, fab.toml, …) is malformed or violates a rule.
// line/column are 1-based; 0 means unknown. field is the dotted key path ("part[2].quantity").
class ManifestError : public Error {
public:
    ManifestError(std::string file, int line, int column, std::string field, std::string reason)
        : Error(format(file, line, column, field, reason)),
          m_file(std::move(file)), m_line(line), m_column(column), m_field(std::move(field)),
          m_reason(std::move(reason)) {}
    const std::string& file() const { return m_file; }
    int line() const { return m_line; }
    int column() const { return m_column; }
    const std::string& field() const { return m_field; }
    const std::string& reason() const { return m_reason; }

    // "frame/module.toml:12:1: part[2].quantity: must be a positive integer"
    static std::string format(const std::string& file, int line, int column, const std::string& field,
                              const std::string& reason) {
        std::string s = file;
        if (line > 0) {
            s += ":" + std::to_string(line);
            if (column > 0) s += ":" + std::to_string(column);
        }
        s += ": ";
        if (!field.empty()) s += field + ": ";
        s += reason;
        return s;
    }

private:
    std::string m_file;
    int m_line;
    int m_column;
    std::string m_field;
    std::string m_reason;
};

// A CAD file could not be read or analysed.
class CadError : public Error {
public:
    CadError(std::string file, const std::string& reason)
        : Error(file + ": " + reason), m_file(std::move(file)) {}
    const std::string& file() const { return m_file; }

private:
    std::string m_file;
};

// A git operation failed (libgit2's message is copied at the point of failure).
class GitError : public Error {
public:
    explicit GitError(const std::string& message, int code = -1) : Error(message), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

// The local SQLite store failed in a way it could not recover from.
class StoreError : public Error {
public:
    using Error::Error;
};

// A licence expression or licence data is invalid. position is a 0-based offset in the
// expression, or -1 when not applicable.
class LicenseError : public Error {
public:
    LicenseError(const std::string& message, int position = -1) : Error(message), m_position(position) {}
    int position() const { return m_position; }

private:
    int m_position;
};

// The user asked for something that cannot be done as asked (bad argument, missing repository…).
class UsageError : public Error {
public:
    using Error::Error;
};

// Long work was cancelled through a Progress.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

} // namespace telar
