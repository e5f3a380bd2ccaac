#include "dgw/core/json_reader.hpp"

namespace dgw::core {

std::string to_string(const problem& p) {
    return (p.path.empty() ? std::string("/") : p.path) + ": " + p.message;
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

json_reader::json_reader(const nlohmann::json& doc, std::string path, std::vector<problem>& out)
    : doc_(doc), path_(std::move(path)), out_(out) {
    if (!doc_.is_object()) {
        ok_ = false;
        out_.push_back({path_, std::string("must be an object, not ") + doc_.type_name()});
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
        if (is_required && ok_) fail(key, "is required");
        return json_reader(empty_object(), path_of(key), out_);
    }
    return json_reader(*v, path_of(key), out_);
}

void json_reader::fail(std::string_view key, std::string message) {
    out_.push_back({path_of(key), std::move(message)});
}

void json_reader::finish() {
    if (!ok_) return;
    for (const auto& [key, value] : doc_.items()) {
        if (!seen_.contains(key)) out_.push_back({path_of(key), "unknown key"});
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
