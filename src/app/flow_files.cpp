#include "app/flow_files.hpp"

#include <dgw/core/json_reader.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace dgw::app {

namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string read_file(const std::string& path) {
    auto text = read_text(path);
    if (!text) throw std::runtime_error("cannot read " + path);
    return std::move(*text);
}

flow::load_result load_flow_file(const fs::path& file) {
    auto text = read_text(file);
    if (!text) {
        flow::load_result r;
        r.problems.push_back(
            core::shape_problem("", core::shape::unreadable, {{"file", file.string()}}));
        return r;
    }
    return flow::load_text(*text);
}

int check_flows(const std::vector<fs::path>& paths, std::ostream& out) {
    std::vector<fs::path> files;
    int failures = 0;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> in_dir;
            for (const auto& e : fs::directory_iterator(p, ec))
                if (e.path().extension() == ".json" && e.path().filename() != "schema.json")
                    in_dir.push_back(e.path());
            // Directory order is arbitrary; a stable report is easier to compare and diff.
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else {
            files.push_back(p);
        }
    }
    if (files.empty()) {
        out << "no flow files found\n";
        return 1;
    }
    std::map<std::pair<std::string, int>, fs::path> seen;
    for (const auto& f : files) {
        auto r = load_flow_file(f);
        for (const auto& p : r.problems) {
            out << f.string() << ": " << core::to_string(p) << '\n';
            ++failures;
        }
        if (!r.flow) continue;
        auto [it, fresh] = seen.emplace(std::pair(r.flow->id, r.flow->version), f);
        if (!fresh) {
            out << f.string() << ": /id: flow \"" << r.flow->id << "\" version " << r.flow->version
                << " is also defined in " << it->second.string() << '\n';
            ++failures;
        }
    }
    if (failures) return 1;
    out << "ok\n";
    return 0;
}

// An invalid flow stops start-up with every problem named, because a half-loaded set of flows
// would strand citizens mid-way.
std::shared_ptr<flow::registry> load_flows(const std::string& dir) {
    auto registry = std::make_shared<flow::registry>();
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto& p = entry.path();
        if (p.extension() == ".json" && p.filename() != "schema.json") files.push_back(p);
    }
    if (ec)
        throw std::runtime_error("cannot read the flows directory " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    std::string problems;
    for (const auto& f : files) {
        auto loaded = load_flow_file(f);
        for (const auto& p : loaded.problems)
            problems += "\n  " + f.string() + ": " + core::to_string(p);
        if (loaded.flow && !registry->add(loaded.flow))
            problems += "\n  " + f.string() + ": flow " + loaded.flow->id + " version " +
                        std::to_string(loaded.flow->version) + " is loaded twice";
    }
    if (!problems.empty()) throw std::runtime_error("invalid flows:" + problems);
    return registry;
}

}  // namespace dgw::app
