// The province's report as a workbook (issue 19 item 9): the dashboard's figures, one sheet per
// breakdown, for officials who compile the quarter's report in Excel.

#include <dgw/api/dashboard.hpp>

#include "api/document_parts.hpp"

#include <xlsxwriter.h>

#include <string>
#include <utility>
#include <vector>

namespace dgw::api {
namespace {

using nlohmann::json;

std::string words_of(const char* vi, const char* en, bool is_vi) { return is_vi ? vi : en; }

}  // namespace

std::string dashboard_xlsx(const json& f, const std::string& period_text, const std::string& language) {
    const bool vi = language != "en";
    return workbook_bytes("report", [&](lxw_workbook* book) {
        const auto fmt = formats_of(book);
        lxw_format* percent = workbook_add_format(book);
        format_set_num_format(percent, "0.0%");

        // A sheet of (name, count) rows under two headings.
        auto table = [&](const char* name_vi, const char* name_en, const char* first_vi, const char* first_en,
                         const std::vector<std::pair<std::string, double>>& rows) {
            lxw_worksheet* s = workbook_add_worksheet(book, vi ? name_vi : name_en);
            worksheet_write_string(s, 0, 0, words_of(first_vi, first_en, vi).c_str(), fmt.bold);
            worksheet_write_string(s, 0, 1, words_of("Số ý kiến", "Concerns", vi).c_str(), fmt.bold);
            lxw_row_t r = 1;
            for (const auto& [label, n] : rows) {
                worksheet_write_string(s, r, 0, label.c_str(), fmt.wrap);
                worksheet_write_number(s, r, 1, n, nullptr);
                ++r;
            }
            worksheet_set_column(s, 0, 0, 44, nullptr);
            worksheet_set_column(s, 1, 1, 14, nullptr);
            worksheet_freeze_panes(s, 1, 0);
        };

        lxw_worksheet* sum = workbook_add_worksheet(book, vi ? "Tổng hợp" : "Summary");
        worksheet_write_string(sum, 0, 0,
                               words_of("BÁO CÁO KẾT QUẢ ĐỐI THOẠI VỚI NHÂN DÂN", "DIALOGUE WITH CITIZENS: REPORT", vi).c_str(),
                               fmt.title);
        worksheet_write_string(sum, 1, 0, period_text.c_str(), nullptr);
        const auto& fu = f["followups"];
        const auto& say = f["satisfaction"];
        const std::vector<std::tuple<std::string, json, bool>> lines = {
            {words_of("Tổng số ý kiến, kiến nghị", "Concerns", vi), f["total"], false},
            {words_of("Đã trả lời", "Answered", vi), f["answered"], false},
            {words_of("Tỉ lệ đã trả lời", "Share answered", vi), f["answered_share"], true},
            {words_of("Trả lời ngay tại hội nghị", "Answered at the meeting", vi), f["answered_at_session"], false},
            {words_of("Tỉ lệ trả lời tại hội nghị (trong số đã trả lời)", "Share answered at the meeting (of those answered)", vi),
             f["answered_at_session_share"], true},
            {words_of("Khẩn cấp", "Urgent", vi), f["urgent"], false},
            {words_of("Số ngày trả lời (trung vị)", "Days to an answer (median)", vi), f["median_days_to_answer"], false},
            {words_of("Việc được giao", "Work assigned", vi), fu["assigned"], false},
            {words_of("Hoàn thành đúng hạn", "Done on time", vi), fu["done_on_time"], false},
            {words_of("Hoàn thành quá hạn", "Done late", vi), fu["done_late"], false},
            {words_of("Đang thực hiện", "In progress", vi), fu["open"], false},
            {words_of("Quá hạn chưa xong", "Overdue", vi), fu["overdue"], false},
            {words_of("Người dân hài lòng", "Citizens satisfied", vi), say["satisfied"], false},
            {words_of("Người dân chưa hài lòng", "Citizens not satisfied", vi), say["unsatisfied"], false},
            {words_of("Tỉ lệ hài lòng", "Share satisfied", vi), say["satisfied_share"], true}};
        lxw_row_t r = 3;
        for (const auto& [label, value, is_share] : lines) {
            worksheet_write_string(sum, r, 0, label.c_str(), fmt.wrap);
            if (value.is_number())
                worksheet_write_number(sum, r, 1, value.get<double>(), is_share ? percent : nullptr);
            ++r;
        }
        worksheet_set_column(sum, 0, 0, 52, nullptr);
        worksheet_set_column(sum, 1, 1, 14, nullptr);

        std::vector<std::pair<std::string, double>> rows;
        for (const auto& [id, n] : f["by_source"].items()) rows.emplace_back(source_words(id, vi), n.get<double>());
        table("Theo nguồn", "By source", "Nguồn", "Source", rows);
        rows.clear();
        for (const auto& t : f["by_topic"])
            rows.emplace_back(t[vi ? "name_vi" : "name_en"].get<std::string>(), t["concerns"].get<double>());
        table("Theo lĩnh vực", "By topic", "Lĩnh vực", "Topic", rows);
        rows.clear();
        for (const auto& c : f["by_commune"])
            rows.emplace_back(c["name"].get<std::string>().empty() ? words_of("(chưa rõ)", "(unknown)", vi)
                                                                   : c["name"].get<std::string>(),
                              c["concerns"].get<double>());
        table("Theo xã, phường", "By commune", "Xã, phường", "Commune or ward", rows);
        rows.clear();
        for (const auto& [level, n] : f["by_level"].items())
            rows.emplace_back(level.empty() ? words_of("(chưa xếp lịch)", "(not scheduled)", vi) : level, n.get<double>());
        table("Theo cấp", "By level", "Cấp đối thoại", "Level", rows);
    });
}

}  // namespace dgw::api
