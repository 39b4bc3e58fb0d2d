// SPDX expression parser, printer, normaliser and validity check.
#include "telar/license/expression.h"

#include "telar/error.h"
#include "telar/license/catalog.h"
#include "text_util.h"

#include <algorithm>

namespace telar::license {

using detail::iequals;
using detail::istartsWith;

namespace {

constexpr int kMaxDepth = 100;
constexpr std::size_t kMaxOptions = 1024;
constexpr std::string_view kLicenseRef = "LicenseRef-";
constexpr std::string_view kDocumentRef = "DocumentRef-";

enum class TokenKind { Word, LParen, RParen, Plus, End };

struct Token {
    TokenKind kind = TokenKind::End;
    std::string_view text;
    int position = 0;
};

bool isIdChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':';
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Throws "<what> at column N (<hint>)"; N is 1-based for people, LicenseError::position() 0-based.
[[noreturn]] void fail(const std::string& what, int position, const std::string& hint = {}) {
    std::string message = what + " at column " + std::to_string(position + 1);
    if (!hint.empty()) message += " (" + hint + ")";
    throw LicenseError(message, position);
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const int position = static_cast<int>(i);
        if (isSpace(c)) {
            ++i;
        } else if (c == '(') {
            tokens.push_back({TokenKind::LParen, text.substr(i, 1), position});
            ++i;
        } else if (c == ')') {
            tokens.push_back({TokenKind::RParen, text.substr(i, 1), position});
            ++i;
        } else if (c == '+') {
            tokens.push_back({TokenKind::Plus, text.substr(i, 1), position});
            ++i;
        } else if (isIdChar(c)) {
            std::size_t end = i;
            while (end < text.size() && isIdChar(text[end])) ++end;
            tokens.push_back({TokenKind::Word, text.substr(i, end - i), position});
            i = end;
        } else {
            fail("invalid character '" + detail::printable(text.substr(i, 1)) + "'", position);
        }
    }
    tokens.push_back({TokenKind::End, {}, static_cast<int>(text.size())});
    return tokens;
}

bool isOperator(const Token& token, std::string_view op) {
    return token.kind == TokenKind::Word && iequals(token.text, op);
}

bool isAnyOperator(const Token& token) {
    return isOperator(token, "AND") || isOperator(token, "OR") || isOperator(token, "WITH");
}

// Checks the shape of an id word: plain idstring, LicenseRef-x, or DocumentRef-y:LicenseRef-x.
void validateId(const Token& token) {
    const std::string_view word = token.text;
    const std::size_t colon = word.find(':');
    if (istartsWith(word, kDocumentRef)) {
        const bool wellFormed = colon != std::string_view::npos && colon > kDocumentRef.size() &&
                                word.find(':', colon + 1) == std::string_view::npos &&
                                istartsWith(word.substr(colon + 1), kLicenseRef) &&
                                word.size() > colon + 1 + kLicenseRef.size();
        if (!wellFormed)
            fail("malformed DocumentRef '" + std::string(word) + "'", token.position,
                 "expected DocumentRef-…:LicenseRef-…");
        return;
    }
    if (colon != std::string_view::npos)
        fail("invalid character ':'", token.position + static_cast<int>(colon));
    if (istartsWith(word, kLicenseRef) && word.size() == kLicenseRef.size())
        fail("empty LicenseRef id", token.position);
}

bool isReference(std::string_view id) { return istartsWith(id, kLicenseRef) || istartsWith(id, kDocumentRef); }

std::string describe(const Token& token) {
    if (token.kind == TokenKind::End) return "end of expression";
    return "'" + std::string(token.text) + "'";
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_tokens(tokenize(text)) {}

    Expression parseAll() {
        if (peek().kind == TokenKind::End) throw LicenseError("empty licence expression", 0);
        Expression result = parseOr(0);
        if (peek().kind != TokenKind::End) unexpected(peek());
        return result;
    }

private:
    const Token& peek() const { return m_tokens[m_index]; }
    const Token& next() { return m_tokens[m_index++]; }

    [[noreturn]] void unexpected(const Token& token) const {
        if (token.kind == TokenKind::Word && !isAnyOperator(token))
            fail("unexpected " + describe(token), token.position, "expected AND, OR or WITH");
        fail("unexpected " + describe(token), token.position);
    }

    static void append(Expression& into, Expression operand) {
        if (operand.kind == into.kind) {
            for (auto& inner : operand.operands) into.operands.push_back(std::move(inner));
        } else {
            into.operands.push_back(std::move(operand));
        }
    }

    Expression parseOr(int depth) {
        Expression first = parseAnd(depth);
        if (!isOperator(peek(), "OR")) return first;
        Expression result;
        result.kind = Expression::Kind::Or;
        append(result, std::move(first));
        while (isOperator(peek(), "OR")) {
            next();
            append(result, parseAnd(depth));
        }
        return result;
    }

    Expression parseAnd(int depth) {
        Expression first = parseWith(depth);
        if (!isOperator(peek(), "AND")) return first;
        Expression result;
        result.kind = Expression::Kind::And;
        append(result, std::move(first));
        while (isOperator(peek(), "AND")) {
            next();
            append(result, parseWith(depth));
        }
        return result;
    }

    Expression parseWith(int depth) {
        const Token& token = next();
        if (token.kind == TokenKind::LParen) {
            if (depth >= kMaxDepth) fail("expression nested too deeply", token.position);
            Expression inner = parseOr(depth + 1);
            const Token& close = peek();
            if (close.kind != TokenKind::RParen) {
                if (close.kind == TokenKind::End) fail("missing ')' for '('", token.position);
                unexpected(close);
            }
            next();
            if (isOperator(peek(), "WITH"))
                fail("unexpected 'WITH'", peek().position, "WITH must follow a single licence id");
            return inner;
        }
        if (token.kind != TokenKind::Word || isAnyOperator(token)) unexpected(token);
        validateId(token);

        Expression result;
        result.term.id = std::string(token.text);
        result.term.position = token.position;
        if (peek().kind == TokenKind::Plus) {
            const Token& plus = next();
            if (plus.position != token.position + static_cast<int>(token.text.size()))
                fail("unexpected '+'", plus.position, "'+' must follow a licence id directly");
            if (isReference(token.text))
                fail("'+' cannot follow '" + std::string(token.text) + "'", plus.position);
            result.term.orLater = true;
        }
        if (isOperator(peek(), "WITH")) {
            next();
            const Token& exception = next();
            if (exception.kind != TokenKind::Word || isAnyOperator(exception))
                fail("expected an exception id after WITH, found " + describe(exception), exception.position);
            if (exception.text.find(':') != std::string_view::npos)
                fail("invalid character ':'",
                     exception.position + static_cast<int>(exception.text.find(':')));
            result.term.exception = std::string(exception.text);
            result.term.exceptionPosition = exception.position;
            if (isOperator(peek(), "WITH")) fail("unexpected 'WITH'", peek().position, "only one exception per licence");
        }
        return result;
    }

    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
};

void collectTerms(const Expression& expression, std::vector<LicenseTerm>& out) {
    if (expression.kind == Expression::Kind::Term) {
        out.push_back(expression.term);
        return;
    }
    for (const auto& operand : expression.operands) collectTerms(operand, out);
}

std::string print(const Expression& expression, bool insideAnd) {
    if (expression.kind == Expression::Kind::Term) return expression.term.toString();
    const bool isOr = expression.kind == Expression::Kind::Or;
    std::string out;
    for (std::size_t i = 0; i < expression.operands.size(); ++i) {
        if (i > 0) out += isOr ? " OR " : " AND ";
        out += print(expression.operands[i], !isOr);
    }
    return (isOr && insideAnd) ? "(" + out + ")" : out;
}

std::string canonicalReference(const std::string& id) {
    // Fix the casing of the LicenseRef-/DocumentRef- prefixes; keep the rest as written.
    if (istartsWith(id, kDocumentRef)) {
        const std::size_t colon = id.find(':');
        return std::string(kDocumentRef) + id.substr(kDocumentRef.size(), colon - kDocumentRef.size()) + ":" +
               std::string(kLicenseRef) + id.substr(colon + 1 + kLicenseRef.size());
    }
    if (istartsWith(id, kLicenseRef)) return std::string(kLicenseRef) + id.substr(kLicenseRef.size());
    return id;
}

LicenseTerm normalizeTerm(const LicenseTerm& term, const Catalog& catalog) {
    LicenseTerm out = term;
    if (const LicenseInfo* info = catalog.find(term.id)) {
        const LicenseInfo* current = info;
        if (info->deprecated()) {
            if (const LicenseInfo* replacement = catalog.find(info->replacedBy)) current = replacement;
        }
        out.id = current->id;
        if (term.orLater) {
            // "GPL-2.0+" and "GPL-2.0-only+" both mean GPL-2.0-or-later; "X-or-later+" is redundant.
            const std::string& laterId = !info->orLaterId.empty() ? info->orLaterId : current->orLaterId;
            if (!laterId.empty()) {
                out.id = catalog.find(laterId) ? catalog.find(laterId)->id : laterId;
                out.orLater = false;
            } else if (detail::toLower(current->id).ends_with("-or-later")) {
                out.orLater = false;
            }
        }
    } else {
        out.id = canonicalReference(term.id);
    }
    if (!term.exception.empty()) {
        if (const ExceptionInfo* exception = catalog.findException(term.exception)) out.exception = exception->id;
    }
    return out;
}

bool listed(std::string_view id, const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const std::string& candidate) { return iequals(candidate, id); });
}

} // namespace

std::string LicenseTerm::toString() const {
    std::string out = id;
    if (orLater) out += '+';
    if (!exception.empty()) out += " WITH " + exception;
    return out;
}

std::string Expression::toString() const { return print(*this, false); }

std::vector<LicenseTerm> Expression::terms() const {
    std::vector<LicenseTerm> out;
    collectTerms(*this, out);
    return out;
}

std::vector<std::vector<LicenseTerm>> Expression::options() const {
    if (kind == Kind::Term) return {{term}};
    std::vector<std::vector<LicenseTerm>> result;
    if (kind == Kind::Or) {
        for (const auto& operand : operands) {
            for (auto& option : operand.options()) {
                result.push_back(std::move(option));
                if (result.size() > kMaxOptions)
                    throw LicenseError("licence expression too complex (more than 1024 alternatives)");
            }
        }
        return result;
    }
    result = {{}};
    for (const auto& operand : operands) {
        const auto operandOptions = operand.options();
        if (result.size() * operandOptions.size() > kMaxOptions)
            throw LicenseError("licence expression too complex (more than 1024 alternatives)");
        std::vector<std::vector<LicenseTerm>> combined;
        for (const auto& left : result) {
            for (const auto& right : operandOptions) {
                auto option = left;
                for (const auto& t : right) {
                    if (std::find(option.begin(), option.end(), t) == option.end()) option.push_back(t);
                }
                combined.push_back(std::move(option));
            }
        }
        result = std::move(combined);
    }
    return result;
}

Expression parseExpression(std::string_view text) { return Parser(text).parseAll(); }

Expression normalizeExpression(const Expression& expression, const Catalog& catalog) {
    Expression out;
    out.kind = expression.kind;
    if (expression.kind == Expression::Kind::Term) {
        out.term = normalizeTerm(expression.term, catalog);
        return out;
    }
    for (const auto& operand : expression.operands) out.operands.push_back(normalizeExpression(operand, catalog));
    return out;
}

std::string normalizeExpression(std::string_view text, const Catalog& catalog) {
    return normalizeExpression(parseExpression(text), catalog).toString();
}

std::string normalizeExpression(std::string_view text) { return normalizeExpression(text, Catalog::builtin()); }

std::optional<std::string> findUnknownId(const Expression& expression, const Catalog& catalog,
                                         const std::vector<std::string>& extraIds, int* position) {
    for (const auto& term : expression.terms()) {
        if (!catalog.find(term.id) && !listed(term.id, extraIds)) {
            if (position) *position = term.position;
            std::string message = "unknown licence id '" + term.id + "' at column " + std::to_string(term.position + 1);
            if (auto suggestion = catalog.suggest(term.id, extraIds))
                message += " (did you mean '" + *suggestion + "'?)";
            return message;
        }
        if (!term.exception.empty() && !catalog.findException(term.exception)) {
            if (position) *position = term.exceptionPosition;
            std::string message = "unknown licence exception '" + term.exception + "' at column " +
                                  std::to_string(term.exceptionPosition + 1);
            std::string best;
            std::size_t bestDistance = 4;
            for (const auto& exception : catalog.exceptions()) {
                const std::size_t distance = detail::editDistance(term.exception, exception.id);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = exception.id;
                }
            }
            if (!best.empty()) message += " (did you mean '" + best + "'?)";
            return message;
        }
    }
    return std::nullopt;
}

std::optional<std::string> checkExpression(std::string_view expr, const Catalog& catalog,
                                           const std::vector<std::string>& extraIds) {
    try {
        return findUnknownId(parseExpression(expr), catalog, extraIds);
    } catch (const LicenseError& error) {
        return std::string(error.what());
    }
}

std::optional<std::string> checkExpression(std::string_view expr, const std::vector<std::string>& extraIds) {
    return checkExpression(expr, Catalog::builtin(), extraIds);
}

} // namespace telar::license
