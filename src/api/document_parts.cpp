#include "api/document_parts.hpp"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

namespace dgw::api {

const national_heading& heading_in(const std::string& language) {
    static const national_heading vi{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"};
    static const national_heading en{"SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"};
    return language == "en" ? en : vi;
}

std::string dated_line(const std::string& place, int day, int month, int year,
                       const std::string& language) {
    const std::string d = (day < 10 ? "0" : "") + std::to_string(day);
    const std::string m = (month < 3 ? "0" : "") + std::to_string(month);
    if (language == "en") return place + ", " + d + "/" + m + "/" + std::to_string(year);
    return place + ", ngày " + d + " tháng " + m + " năm " + std::to_string(year);
}

std::string group_title(const std::string& name, const std::string& r) {
    if (!name.empty()) return name;
    if (r.size() <= 80) return r;
    std::size_t end = r.rfind(' ', 80);
    if (end == std::string::npos || end < 20) {
        end = 80;  // one very long word: cut between two UTF-8 characters, never inside one
        while (end > 0 && (static_cast<unsigned char>(r[end]) & 0xC0) == 0x80) --end;
    }
    while (end > 0 && (r[end - 1] == ' ' || r[end - 1] == ',')) --end;
    return r.substr(0, end) + "…";
}

workbook_formats formats_of(lxw_workbook* book) {
    workbook_formats f{workbook_add_format(book), workbook_add_format(book), workbook_add_format(book)};
    format_set_bold(f.bold);
    format_set_text_wrap(f.bold);
    format_set_text_wrap(f.wrap);
    format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    return f;
}

std::string source_words(const std::string& source, bool vi) {
    static const std::map<std::string, std::pair<const char*, const char*>, std::less<>> words = {
        {"chat", {"tin nhắn qua các kênh trực tuyến", "messages on the chat channels"}},
        {"letter", {"thư, đơn", "letters"}},
        {"reception", {"tiếp công dân tại trụ sở", "the reception desk"}},
        {"hotline", {"đường dây nóng", "the hotline"}},
        {"press", {"báo chí, dư luận", "the press and public opinion"}},
        {"meeting", {"nêu tại hội nghị", "raised at the meeting"}},
        {"open311", {"hệ thống khác gửi qua Open311", "other systems, through Open311"}}};
    auto it = words.find(source);
    if (it == words.end()) return source;
    return vi ? it->second.first : it->second.second;
}

std::string workbook_bytes(const char* what, const std::function<void(lxw_workbook*)>& fill) {
    std::random_device rd;
    auto path = std::filesystem::temp_directory_path() /
                ("dgw-" + std::string(what) + "-" + std::to_string(rd()) + std::to_string(rd()) + ".xlsx");
    // The file is ours alone for the few milliseconds it exists; removed whatever happens.
    struct remover {
        std::filesystem::path p;
        ~remover() {
            std::error_code ec;
            std::filesystem::remove(p, ec);
        }
    } cleanup{path};
    lxw_workbook* book = workbook_new(path.c_str());
    if (!book) throw std::runtime_error("cannot create the workbook");
    fill(book);
    if (workbook_close(book) != LXW_NO_ERROR) throw std::runtime_error("cannot write the workbook");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read the workbook back");
    return bytes.str();
}

}  // namespace dgw::api
