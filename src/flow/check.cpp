#include "dgw/flow/check.hpp"

#include "dgw/flow/loader.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>

namespace dgw::flow {

int check_flows(const std::vector<std::filesystem::path>& paths, std::ostream& out) {
    namespace fs = std::filesystem;
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
        auto r = load_file(f);
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

}  // namespace dgw::flow
