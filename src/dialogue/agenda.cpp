#include "dgw/dialogue/agenda.hpp"

#include <dgw/core/text.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace dgw::dialogue {

namespace {

// Folded function words and forms of address that say nothing about what a concern is about.
// Kept small on purpose: words like "duong" (road) or "dat" (land) fold from several words but
// are what the concerns are about.
const std::set<std::string, std::less<>>& stopwords() {
    static const std::set<std::string, std::less<>> words = {
        "la",     "va",   "cua",   "co",    "khong", "duoc",  "cho",  "de",    "nhung", "cac",
        "mot",    "nay",  "do",    "thi",   "ma",    "o",     "tai",  "trong", "voi",   "da",
        "dang",   "se",   "rat",   "qua",   "nhieu", "chung", "toi",  "em",    "anh",   "chi",
        "ong",    "ba",   "xin",   "hoi",   "nghi",  "kien",  "xa",   "thon",  "ban",   "nguoi",
        "dan",    "lam",  "khi",   "nao",   "gi",    "sao",   "vi",   "nen",   "cung",  "van",
        "con",    "nua",  "ra",    "vao",   "tu",    "den",   "theo", "ve",    "nhu",   "hay",
        "hoac",   "neu",  "thoi",  "roi",   "ai",    "minh",  "ho",   "chinh", "quyen", "can",
        "bo",     "xem",  "xet",   "giai",  "quyet", "mong",  "muon", "yeu",   "cau",   "vay",
        "day",    "kia",  "luc",   "nam",   "nhe",   "a",     "oi",   "chua",  "bao",   "gio",
        "phuong", "thi",  "tran",  "huyen", "tinh",  "lao",   "cai",  "hien",  "nay",   "viec",
        "dieu",   "the",  "nhieu", "moi",   "cu",    "lai",   "het",  "tren",  "duoi",  "sau",
        "truoc",  "ngay", "thang", "lan",   "nhat",  "bac"};
    return words;
}

using features = std::map<std::string, double>;

/// Content words and adjacent content-word pairs of a folded text.
std::vector<std::string> terms(const std::string& text) {
    std::vector<std::string> content;
    for (auto& t : core::tokens(core::fold(text)))
        if (!stopwords().contains(t) && t.size() > 1) content.push_back(std::move(t));
    std::vector<std::string> out = content;
    for (std::size_t i = 0; i + 1 < content.size(); ++i)
        out.push_back(content[i] + " " + content[i + 1]);
    return out;
}

std::vector<features> tfidf(const std::vector<std::vector<std::string>>& docs) {
    std::unordered_map<std::string, std::size_t> df;
    for (const auto& d : docs) {
        std::set<std::string> seen(d.begin(), d.end());
        for (const auto& t : seen) ++df[t];
    }
    const double n = static_cast<double>(docs.size());
    std::vector<features> out;
    for (const auto& d : docs) {
        features f;
        for (const auto& t : d) f[t] += 1.0;
        double norm = 0;
        for (auto& [t, w] : f) {
            // Smoothed IDF keeps words shared by every concern above zero weight.
            w = (1.0 + std::log(w)) *
                (1.0 + std::log((1.0 + n) / (1.0 + static_cast<double>(df[t]))));
            norm += w * w;
        }
        norm = std::sqrt(norm);
        if (norm > 0)
            for (auto& [t, w] : f) w /= norm;
        out.push_back(std::move(f));
    }
    return out;
}

double cosine(const features& a, const features& b) {
    double s = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (i->first < j->first)
            ++i;
        else if (j->first < i->first)
            ++j;
        else
            s += (i++)->second * (j++)->second;
    }
    return s;
}

/// Average-link clustering of `members` (indexes into `vecs`); returns clusters of indexes.
std::vector<std::vector<std::size_t>> cluster(const std::vector<std::size_t>& members,
                                              const std::vector<features>& vecs, double threshold) {
    const std::size_t n = members.size();
    std::vector<std::vector<double>> sim(n, std::vector<double>(n, 0.0));
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b)
            sim[a][b] = sim[b][a] = cosine(vecs[members[a]], vecs[members[b]]);
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t a = 0; a < n; ++a) groups.push_back({a});
    std::vector<bool> alive(n, true);
    for (;;) {
        double best = -1;
        std::size_t ba = 0, bb = 0;
        for (std::size_t a = 0; a < n; ++a) {
            if (!alive[a]) continue;
            for (std::size_t b = a + 1; b < n; ++b) {
                if (alive[b] && sim[a][b] > best) {
                    best = sim[a][b];
                    ba = a;
                    bb = b;
                }
            }
        }
        if (best < threshold) break;
        // Lance-Williams update for average link: weighted by cluster sizes.
        const double wa = static_cast<double>(groups[ba].size());
        const double wb = static_cast<double>(groups[bb].size());
        for (std::size_t c = 0; c < n; ++c) {
            if (!alive[c] || c == ba || c == bb) continue;
            sim[ba][c] = sim[c][ba] = (wa * sim[ba][c] + wb * sim[bb][c]) / (wa + wb);
        }
        groups[ba].insert(groups[ba].end(), groups[bb].begin(), groups[bb].end());
        groups[bb].clear();
        alive[bb] = false;
    }
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t a = 0; a < n; ++a) {
        if (!alive[a]) continue;
        std::vector<std::size_t> g;
        for (std::size_t m : groups[a]) g.push_back(members[m]);
        std::sort(g.begin(), g.end());
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace

double text_similarity(const std::string& a, const std::string& b) {
    auto v = tfidf({terms(a), terms(b)});
    return cosine(v[0], v[1]);
}

std::vector<agenda_group> group_agenda(const std::vector<agenda_item>& items,
                                       const agenda_options& options) {
    std::vector<std::vector<std::string>> docs;
    docs.reserve(items.size());
    for (const auto& it : items) docs.push_back(terms(it.text));
    const auto vecs = tfidf(docs);

    std::map<std::string, std::vector<std::size_t>> by_topic;
    for (std::size_t i = 0; i < items.size(); ++i) by_topic[items[i].topic].push_back(i);

    std::vector<agenda_group> out;
    for (const auto& [topic, members] : by_topic) {
        for (const auto& g : cluster(members, vecs, options.threshold)) {
            agenda_group ag;
            ag.topic = topic;
            std::set<std::string> citizens, communes;
            // The representative is the medoid: the member closest on average to the others.
            double best = -1;
            for (std::size_t i : g) {
                const auto& it = items[i];
                ag.concern_ids.push_back(it.id);
                citizens.insert(it.citizen);
                if (!it.commune.empty()) communes.insert(it.commune);
                if (it.urgent) ++ag.urgent;
                double s = 0;
                for (std::size_t j : g)
                    if (j != i) s += cosine(vecs[i], vecs[j]);
                if (s > best + 1e-12) {
                    best = s;
                    ag.representative = it.text;
                    ag.representative_id = it.id;
                }
            }
            ag.citizens = citizens.size();
            ag.communes.assign(communes.begin(), communes.end());
            out.push_back(std::move(ag));
        }
    }
    std::sort(out.begin(), out.end(), [](const agenda_group& a, const agenda_group& b) {
        return std::tuple(b.citizens, b.urgent, b.concern_ids.size(), a.topic, a.representative) <
               std::tuple(a.citizens, a.urgent, a.concern_ids.size(), b.topic, b.representative);
    });
    return out;
}

}  // namespace dgw::dialogue
