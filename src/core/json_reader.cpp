#include "dgw/core/json_reader.hpp"

#include <algorithm>
#include <array>

namespace dgw::core {

std::string to_string(const problem& p) {
    return (p.path.empty() ? std::string("/") : p.path) + ": " + p.message;
}

namespace {

// Vietnamese for an official editing a flow in the web app; English for the command line.
constexpr std::array shapes{
    words{"required", "bắt buộc phải có", "is required"},
    words{"wrong_type", "sai kiểu dữ liệu", "has the wrong type ({type})"},
    words{"not_object", "phải là một đối tượng JSON ({ … })", "must be an object, not {type}"},
    words{"not_array", "phải là một danh sách (mảng JSON [ … ])", "must be an array"},
    words{"not_string", "phải là một chuỗi văn bản", "must be a string"},
    words{"not_string_list", "phải là một danh sách chuỗi văn bản",
          "must be an array of strings, not {type}"},
    words{"not_whole_number", "phải là số nguyên", "must be a whole number"},
    words{"whole_number_range", "phải là số nguyên từ {min} đến {max}",
          "must be a whole number from {min} to {max}"},
    words{"unknown_key", "khóa lạ: không dùng ở chỗ này", "unknown key"},
    words{"not_json", "không phải JSON hợp lệ (dòng {line}, cột {column})",
          "not valid JSON: {detail}"},
    words{"number_too_large", "số {number} quá lớn (dòng {line}, cột {column})",
          "not valid JSON: {detail}"},
    words{"unreadable", "không đọc được tệp {file}", "cannot read {file}"},
};
static_assert(shapes.size() == static_cast<std::size_t>(shape::unreadable) + 1,
              "every core::shape has its words");

}  // namespace

std::span<const words> shape_words() { return shapes; }

problem catalogue_problem(std::span<const words> catalogue, std::size_t id, std::string path,
                          nlohmann::json params) {
    const words& w = catalogue[id];
    auto message = fill(w.en, params);
    return {std::move(path), std::move(message), std::string(w.code), std::move(params)};
}

problem shape_problem(std::string path, shape what, nlohmann::json params) {
    return catalogue_problem(shapes, static_cast<std::size_t>(what), std::move(path),
                             std::move(params));
}

std::string localized(const problem& p, std::string_view lang, std::span<const words> catalogue) {
    const words* w = p.code.empty() ? nullptr : find_words(catalogue, p.code);
    if (!w && !p.code.empty()) w = find_words(shapes, p.code);
    if (!w) return p.message;
    return fill(lang == "en" ? w->en : w->vi, p.params);
}

std::string pointer_escape(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

namespace {

// Follows the parser through a document that failed to parse, to say where it stopped: the
// JSON Pointer of the value being read. Builds nothing.
class failure_finder final : public nlohmann::json_sax<nlohmann::json> {
public:
    std::string pointer() const {
        std::string out;
        for (const auto& f : stack_) {
            if (f.array)
                out += "/" + std::to_string(f.index);
            else if (f.has_key)
                out += "/" + pointer_escape(f.key);
            else
                break;
        }
        return out;
    }

    bool failed = false;
    bool syntax = false;  // else a value the library cannot hold, such as 1e999
    std::size_t position = 0;
    std::string token;
    std::string what;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        stack_.push_back({false, 0, {}, false});
        return true;
    }
    bool key(string_t& k) override {
        stack_.back().key = k;
        stack_.back().has_key = true;
        return true;
    }
    bool end_object() override {
        stack_.pop_back();
        return value();
    }
    bool start_array(std::size_t) override {
        stack_.push_back({true, 0, {}, false});
        return true;
    }
    bool end_array() override {
        stack_.pop_back();
        return value();
    }
    bool parse_error(std::size_t pos, const std::string& last_token,
                     const nlohmann::json::exception& ex) override {
        failed = true;
        syntax = dynamic_cast<const nlohmann::json::parse_error*>(&ex) != nullptr;
        position = pos;
        token = last_token;
        what = ex.what();
        return false;
    }

private:
    struct frame {
        bool array;
        std::size_t index;
        std::string key;
        bool has_key;
    };
    bool value() {
        if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
        return true;
    }
    std::vector<frame> stack_;
};

// "[json.exception.parse_error.101] parse error at ..." -> "parse error at ...".
std::string without_prefix(const std::string& what) {
    if (what.starts_with("[json.exception.")) {
        if (auto end = what.find("] "); end != std::string::npos) return what.substr(end + 2);
    }
    return what;
}

}  // namespace

std::optional<nlohmann::json> parse_json(std::string_view text, problem* error) {
    std::string failure;
    try {
        auto doc = nlohmann::json::parse(text, nullptr, false);
        if (!doc.is_discarded()) return doc;
        failure_finder finder;
        nlohmann::json::sax_parse(text, &finder);
        if (error) {
            // A syntax error is the document's; a number too large for a double is the
            // value's, at its path, like any bad value. Both say the line and column.
            const bool number = finder.failed && !finder.syntax;
            std::size_t start = std::min(text.size(), finder.position);
            if (number)
                start = std::min(text.size(), finder.position >= finder.token.size()
                                                  ? finder.position - finder.token.size()
                                                  : std::size_t{0});
            else if (start > 0)
                --start;  // the parser's position is one past the character it stopped at
            const auto before = text.substr(0, start);
            const auto line = 1 + std::count(before.begin(), before.end(), '\n');
            const auto last_newline = before.rfind('\n');
            const auto column =
                1 + (last_newline == std::string_view::npos ? start : start - last_newline - 1);
            error->path = number ? finder.pointer() : "";
            error->message = without_prefix(finder.what);
            error->code = std::string(shape_words()[static_cast<std::size_t>(shape::not_json)].code);
            error->params = {{"line", line}, {"column", column}};
            if (number) {
                // The token may be a megabyte of digits: the message shows its start.
                const auto shown =
                    finder.token.size() > 40 ? finder.token.substr(0, 40) + "..." : finder.token;
                error->message = "the number " + shown + " is out of range (line " +
                                 std::to_string(line) + ", column " + std::to_string(column) + ")";
                error->code =
                    std::string(shape_words()[static_cast<std::size_t>(shape::number_too_large)].code);
                error->params["number"] = shown;
            }
            if (error->message.empty()) error->message = "not JSON";
            error->params["detail"] = error->message;
        }
        return std::nullopt;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (error) {
        *error = shape_problem("", shape::not_json);
        error->message = without_prefix(failure);
        error->params = {{"detail", error->message}};
    }
    return std::nullopt;
}

json_reader::json_reader(const nlohmann::json& doc, std::string path, std::vector<problem>& out)
    : doc_(doc), path_(std::move(path)), out_(out) {
    if (!doc_.is_object()) {
        ok_ = false;
        out_.push_back(shape_problem(path_, shape::not_object, {{"type", doc_.type_name()}}));
    }
}

std::string json_reader::path_of(std::string_view key) const {
    return path_ + "/" + pointer_escape(key);
}

const nlohmann::json* json_reader::find(std::string_view key) {
    if (!ok_) return nullptr;
    seen_.emplace(key);
    auto it = doc_.find(key);
    if (it == doc_.end()) return nullptr;
    return &*it;
}

const nlohmann::json& json_reader::empty_object() {
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}

json_reader json_reader::child(std::string_view key, bool is_required) {
    const nlohmann::json* v = find(key);
    if (!v) {
        if (is_required && ok_) fail(key, shape_problem({}, shape::required));
        return json_reader(empty_object(), path_of(key), out_);
    }
    return json_reader(*v, path_of(key), out_);
}

void json_reader::fail(std::string_view key, std::string message) {
    out_.push_back({path_of(key), std::move(message)});
}

void json_reader::fail(std::string_view key, problem p) {
    p.path = path_of(key);
    out_.push_back(std::move(p));
}

void json_reader::finish() {
    if (!ok_) return;
    for (const auto& [key, value] : doc_.items()) {
        if (!seen_.contains(key)) out_.push_back(shape_problem(path_of(key), shape::unknown_key));
    }
}

namespace {

void expand_string(std::string& s, const std::string& path,
                   const std::function<std::optional<std::string>(const std::string&)>& lookup,
                   std::vector<problem>& out) {
    std::string result;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s.compare(i, 3, "$${") == 0) {
            result += "${";
            i += 3;
            continue;
        }
        if (s.compare(i, 2, "${") == 0) {
            std::size_t end = s.find('}', i + 2);
            if (end == std::string::npos) {
                out.push_back({path, "unterminated ${ in string"});
                return;
            }
            std::string name = s.substr(i + 2, end - i - 2);
            if (auto value = lookup(name)) {
                result += *value;
            } else {
                out.push_back({path, "environment variable " + name + " is not set"});
            }
            i = end + 1;
            continue;
        }
        result += s[i++];
    }
    s = std::move(result);
}

void expand_at(nlohmann::json& node, const std::string& path,
               const std::function<std::optional<std::string>(const std::string&)>& lookup,
               std::vector<problem>& out) {
    if (node.is_string()) {
        expand_string(node.get_ref<std::string&>(), path, lookup, out);
    } else if (node.is_object()) {
        for (auto& [key, value] : node.items()) expand_at(value, path + "/" + pointer_escape(key), lookup, out);
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            expand_at(node[i], path + "/" + std::to_string(i), lookup, out);
    }
}

}  // namespace

void expand_env(nlohmann::json& doc,
                const std::function<std::optional<std::string>(const std::string&)>& lookup,
                std::vector<problem>& out) {
    expand_at(doc, "", lookup, out);
}

}  // namespace dgw::core
