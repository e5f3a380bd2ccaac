#pragma once
/// Reading the first sheet of an Excel workbook officials upload (Office Open XML, .xlsx, as
/// Excel and LibreOffice save it) into the same rows a CSV file gives: each cell's text as the
/// sheet shows it (shared and inline strings, numbers as written, TRUE/FALSE), empty cells as
/// "", rows without a cell skipped. The file is a zip read in memory (libzip) and its parts are
/// XML (Boost.PropertyTree, which expands no external entity); a part larger than
/// `max_part_bytes` once uncompressed is refused, so a small file cannot unpack into gigabytes.

#include <dgw/api/csv_read.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::api {

/// Why a file is not a workbook the gateway reads.
struct xlsx_problem {
    enum class kind { not_a_workbook, part_too_large, too_many_rows } what{};
    std::string detail;  ///< the part at fault, or what the zip library said
};

std::optional<csv_table> read_xlsx(std::string_view bytes, xlsx_problem& error, std::size_t max_rows = 5000,
                                   std::size_t max_part_bytes = 32 * 1024 * 1024);

}  // namespace dgw::api
