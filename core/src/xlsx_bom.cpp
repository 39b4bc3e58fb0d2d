// The BOM as an .xlsx workbook through libxlsxwriter. libxlsxwriter writes its zip entries with
// a fixed 1980 date; the document's creation time is set from the caller, so output is stable.

#include "telar/core/xlsx.h"
#include "telar/error.h"

#include <xlsxwriter.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace telar::core {

namespace {

std::string stockText(const BomLine& line) {
    if (!line.stockSize) return {};
    const auto& s = *line.stockSize;
    return fmt::format("{:.1f} x {:.1f} x {:.1f}", s[0], s[1], s[2]);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "; ") + i;
    return out;
}

// A temporary file removed when it goes out of scope.
class TempFile {
public:
    TempFile() {
        std::string pattern = (std::filesystem::temp_directory_path() / "telar-xlsx-XXXXXX").string();
        int fd = mkstemp(pattern.data());
        if (fd < 0) throw Error("cannot create a temporary file for the XLSX workbook");
        close(fd);
        m_path = pattern;
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace

const std::vector<std::string>& bomXlsxColumns() {
    static const std::vector<std::string> columns{
        "Module", "Part", "Name", "Qty", "Process", "Material", "Mass (g)", "Stock size (mm)", "Unit cost",
        "Line cost", "Currency", "Fab", "Supplier", "SKU", "File", "Licence", "Problems"};
    return columns;
}

std::string formatBomXlsx(const Bom& bom, std::int64_t created) {
    TempFile tmp;
    lxw_workbook* wb = workbook_new(tmp.path().c_str());
    if (!wb) throw Error("libxlsxwriter cannot create a workbook");
    lxw_doc_properties props{};
    std::string title = "Bill of materials — " + bom.treeName;
    std::string comments = "Written by Telar";
    props.title = title.data(); // libxlsxwriter copies the strings
    props.comments = comments.data();
    // 0 would make libxlsxwriter stamp the current time: use 1980-01-01T00:00:00Z instead.
    props.created = static_cast<time_t>(created != 0 ? created : 315532800);
    workbook_set_properties(wb, &props);

    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format* grams = workbook_add_format(wb);
    format_set_num_format(grams, "0.0");
    lxw_format* money = workbook_add_format(wb);
    format_set_num_format(money, "0.00");

    lxw_worksheet* ws = workbook_add_worksheet(wb, "BOM");
    const auto& cols = bomXlsxColumns();
    for (size_t c = 0; c < cols.size(); ++c) worksheet_write_string(ws, 0, lxw_col_t(c), cols[c].c_str(), bold);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_column(ws, 0, 1, 18, nullptr);
    worksheet_set_column(ws, 2, 2, 32, nullptr);
    worksheet_set_column(ws, 4, 5, 14, nullptr);
    worksheet_set_column(ws, 7, 7, 22, nullptr);
    worksheet_set_column(ws, 14, 14, 36, nullptr);
    lxw_row_t row = 1;
    auto text = [&](lxw_col_t col, const std::string& s) {
        if (!s.empty()) worksheet_write_string(ws, row, col, s.c_str(), nullptr);
    };
    for (const auto& line : bom.lines) {
        text(0, line.module);
        text(1, line.partId);
        text(2, line.name);
        worksheet_write_number(ws, row, 3, double(line.quantity), nullptr);
        text(4, line.process);
        text(5, line.material);
        if (line.mass) worksheet_write_number(ws, row, 6, *line.mass, grams);
        text(7, stockText(line));
        if (line.unitCost) worksheet_write_number(ws, row, 8, *line.unitCost, money);
        if (line.lineCost) worksheet_write_number(ws, row, 9, *line.lineCost, money);
        text(10, line.currency);
        text(11, line.fabStatus);
        text(12, line.supplier);
        text(13, line.sku);
        text(14, line.file);
        text(15, line.license);
        text(16, joined(line.errors));
        ++row;
    }

    lxw_worksheet* totals = workbook_add_worksheet(wb, "Totals");
    const char* heads[] = {"Process", "Lines", "Pieces", "Mass (g)", "Cost", "Lines without cost"};
    for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(totals, 0, c, heads[c], bold);
    worksheet_set_column(totals, 0, 0, 18, nullptr);
    lxw_row_t r = 1;
    auto totalRow = [&](const std::string& label, const BomTotals& t, lxw_format* fmt) {
        worksheet_write_string(totals, r, 0, label.c_str(), fmt);
        worksheet_write_number(totals, r, 1, t.lines, nullptr);
        worksheet_write_number(totals, r, 2, double(t.pieces), nullptr);
        worksheet_write_number(totals, r, 3, t.mass, grams);
        worksheet_write_number(totals, r, 4, t.cost, money);
        worksheet_write_number(totals, r, 5, t.unknownCost, nullptr);
        ++r;
    };
    for (const auto& [process, t] : bom.processTotals) totalRow(process.empty() ? "(none)" : process, t, nullptr);
    totalRow("Total (" + bom.currency + ")", bom.total, bold);

    std::vector<std::string> problems = bom.problems;
    for (const auto& line : bom.lines)
        for (const auto& e : line.errors) problems.push_back(line.module + "/" + line.partId + ": " + e);
    if (!problems.empty()) {
        lxw_worksheet* p = workbook_add_worksheet(wb, "Problems");
        worksheet_write_string(p, 0, 0, "Problem", bold);
        worksheet_set_column(p, 0, 0, 100, nullptr);
        for (size_t i = 0; i < problems.size(); ++i)
            worksheet_write_string(p, lxw_row_t(i + 1), 0, problems[i].c_str(), nullptr);
    }

    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) throw Error(std::string("cannot write the XLSX workbook: ") + lxw_strerror(err));
    std::ifstream in(tmp.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) throw Error("cannot read back the XLSX workbook");
    return ss.str();
}

} // namespace telar::core
