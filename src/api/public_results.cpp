// The public page of answers (/ket-qua, issue 19 item 8): no login, Vietnamese first, what
// officials chose to publish — the sessions held, what was raised there (topic and communes,
// never a citizen's words, name, phone or platform id; a photo only when an official chose to
// show it), the answer, and what was assigned with its state — filterable by commune, topic and period. Also as JSON for the
// province's portal (/ket-qua.json). One server-made page: readable on a phone, no script.
#include "api/service.hpp"

#include <dgw/core/text.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/followup.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace dgw::api {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr std::size_t max_public_items = 200;  // the latest; a filter narrows the rest

// One published answer: the concerns of a session that got the same answer, counted.
struct public_item {
    std::string session;
    std::string answer;
    std::set<std::string> topics;
    std::set<std::string> communes;  // codes
    std::size_t concerns = 0;
    std::set<std::int64_t> citizens;
    store::time_point answered_at{};
    std::vector<const store::concern*> followed;  // those with an assignment
    std::vector<std::int64_t> photos;  // the kept copies an official published
};

std::string day_of(store::time_point t, const dialogue::dialogue_config& cfg) {
    return dialogue::day_text(dialogue::local_date(t, cfg.utc_offset));
}

struct words_of_page {
    const char* title;
    const char* intro;
    const char* commune;
    const char* topic;
    const char* from;
    const char* to;
    const char* all;
    const char* show;
    const char* concerns;
    const char* citizens;
    const char* answered;
    const char* answer;
    const char* assigned;
    const char* due;
    const char* doing;
    const char* late;
    const char* done;
    const char* none;
    const char* other;
    const char* more;
    const char* photo;
};

constexpr words_of_page vi_words{
    "Kết quả đối thoại với Nhân dân",
    "Những vấn đề người dân nêu tại các buổi tiếp xúc, đối thoại và câu trả lời của chính quyền, "
    "cùng việc được giao và tiến độ thực hiện.",
    "Xã, phường", "Lĩnh vực", "Từ ngày", "Đến ngày", "Tất cả", "Xem", "phản ánh", "người dân",
    "Trả lời ngày", "Trả lời", "Giao", "hạn", "đang thực hiện", "quá hạn", "đã hoàn thành",
    "Chưa có câu trả lời nào được công bố.", "English", "Chỉ hiện 200 câu trả lời mới nhất: hãy lọc để xem thêm.",
    "Ảnh hiện trường"};
constexpr words_of_page en_words{
    "Results of the dialogues with citizens",
    "What citizens raised at the dialogue sessions and the authorities' answers, with the work "
    "assigned and how it stands.",
    "Commune or ward", "Topic", "From", "To", "All", "Show", "concerns", "citizens", "Answered on",
    "Answer", "Assigned to", "due", "in progress", "overdue", "done",
    "No answer has been published yet.", "Tiếng Việt", "Only the latest 200 answers are shown: filter to see more.",
    "Photo of the place"};

std::string esc(std::string_view s) { return core::html_escape(s); }

}  // namespace

std::vector<std::int64_t> public_photos(store::store& s, const store::concern& k) {
    std::vector<std::int64_t> ids;
    if (!k.published || !k.media.is_array() || k.media.empty()) return ids;
    for (const auto& m : s.media_copies_of(k.id))
        if (m.published && m.status == store::media_copy_status::kept) ids.push_back(m.id);
    return ids;
}

net::awaitable<http::response> service::public_results(http::request_context& c) {
    const auto& cfg = *deps_.dialogue;
    const std::string commune = c.query_param("commune");
    const std::string topic = c.query_param("topic");
    const std::string from = c.query_param("from");
    const std::string to = c.query_param("to");
    if (!from.empty() && !dialogue::parse_date(from))
        co_return refuse(error::date_invalid, {{"field", "from"}});
    if (!to.empty() && !dialogue::parse_date(to))
        co_return refuse(error::date_invalid, {{"field", "to"}});
    const bool as_json = c.path.ends_with(".json");
    // Vietnamese first, whatever the browser says: English only when asked (?lang=en).
    const std::string lang = c.query_param("lang") == "en" ? "en" : "vi";
    const bool en = lang == "en";
    auto keep = [&cfg, commune, topic, from, to](const store::concern& k) {
        if (!k.published || !k.answered_at || k.answer.empty()) return false;
        if (k.status != core::concern_status::answered && k.status != core::concern_status::merged && k.status != core::concern_status::scheduled) return false;
        if (!commune.empty() && k.commune_code != commune) return false;
        if (!topic.empty() && k.topic != topic) return false;
        const auto day = dialogue::to_string(dialogue::local_date(*k.answered_at, cfg.utc_offset));
        return (from.empty() || day >= from) && (to.empty() || day <= to);
    };
    auto self = this;
    auto work = [self, keep, lang](store::store& s) {
        auto found = s.search_concerns({}, keep, 0, 100000).items;
        auto labels = self->labels_of(s, found, lang);
        // The photos an official chose to show, by concern.
        std::map<std::int64_t, std::vector<std::int64_t>> photos;
        for (const auto& k : found)
            if (auto shown = public_photos(s, k); !shown.empty()) photos[k.id] = std::move(shown);
        return std::tuple{std::move(found), std::move(labels), std::move(photos)};
    };
    auto [concerns, found_labels, found_photos] = co_await on_db(work);
    const session_labels& labels = found_labels;  // named: clang 14 cannot capture a binding
    const auto& photos = found_photos;

    // One item per session and answer, newest first.
    std::map<std::pair<std::string, std::string>, public_item> by_answer;
    for (const auto& k : concerns) {
        auto& item = by_answer[{k.session_id, k.answer}];
        item.session = k.session_id;
        item.answer = k.answer;
        item.topics.insert(k.topic);
        item.communes.insert(k.commune_code);
        ++item.concerns;
        item.citizens.insert(k.contact_id);
        item.answered_at = std::max(item.answered_at, *k.answered_at);
        if (!k.assigned_to.empty()) item.followed.push_back(&k);
        if (auto p = photos.find(k.id); p != photos.end())
            item.photos.insert(item.photos.end(), p->second.begin(), p->second.end());
    }
    std::vector<public_item> items;
    for (auto& [key, item] : by_answer) items.push_back(std::move(item));
    std::stable_sort(items.begin(), items.end(), [](const public_item& a, const public_item& b) {
        return a.answered_at > b.answered_at;
    });
    const bool cut = items.size() > max_public_items;
    if (cut) items.resize(max_public_items);

    const auto today = dialogue::local_date(deps_.now(), cfg.utc_offset);
    const auto topic_name = [&](const std::string& id) {
        const auto* t = cfg.find_topic(id);
        return t ? (en && !t->name_en.empty() ? t->name_en : t->name_vi) : id;
    };
    const auto commune_name = [&](const std::string& code) {
        const auto* u = cfg.find_unit(code);
        return u ? u->name : code;
    };
    // The work of an answer is done when every concern's is; overdue when any is late.
    const auto state_of = [&](const public_item& i) -> std::string {
        if (std::all_of(i.followed.begin(), i.followed.end(),
                        [](const store::concern* k) { return k->followup == "closed"; }))
            return "done";
        return std::any_of(i.followed.begin(), i.followed.end(),
                           [&](const store::concern* k) { return domain::overdue(*k, today); })
                   ? "overdue"
                   : "in_progress";
    };
    // Grouped by session, in the order of their latest answer.
    std::vector<std::string> sessions;
    for (const auto& i : items)
        if (std::find(sessions.begin(), sessions.end(), i.session) == sessions.end())
            sessions.push_back(i.session);
    const auto label_of = [&](const std::string& id) {
        const auto it = labels.find(id);
        return it != labels.end() ? it->second : id;
    };

    if (as_json) {
        json out = json::array();
        for (const auto& sid : sessions) {
            json list = json::array();
            for (const auto& i : items) {
                if (i.session != sid) continue;
                json topics = json::array(), communes = json::array();
                for (const auto& t : i.topics) topics.push_back({{"id", t}, {"name", topic_name(t)}});
                for (const auto& u : i.communes) communes.push_back({{"code", u}, {"name", commune_name(u)}});
                json j = {{"topics", topics},           {"communes", communes},
                          {"concerns", i.concerns},     {"citizens", i.citizens.size()},
                          {"answer", i.answer},         {"answered_on", dialogue::to_string(dialogue::local_date(i.answered_at, cfg.utc_offset))}};
                json pictures = json::array();
                for (auto id : i.photos) pictures.push_back("/ket-qua/anh/" + std::to_string(id));
                j["photos"] = std::move(pictures);
                if (!i.followed.empty()) {
                    const auto& f = *i.followed.front();
                    const auto state = state_of(i);
                    j["assigned"] = {{"office", f.assigned_to},
                                     {"deadline", f.deadline},
                                     {"promise", f.promise},
                                     {"state", state},
                                     {"result", state == "done" ? f.followup_result : ""}};
                }
                list.push_back(std::move(j));
            }
            out.push_back({{"session", sid}, {"label", label_of(sid)}, {"items", list}});
        }
        co_return ok({{"sessions", out}, {"more", cut}});
    }

    const auto& w = en ? en_words : vi_words;
    std::string h;
    h.reserve(16384);
    h += "<!doctype html><html lang=\"" + std::string(en ? "en" : "vi") + "\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
         esc(w.title) + " — " + esc(cfg.province.name) +
         "</title><link rel=\"stylesheet\" href=\"/ket-qua.css\"></head><body><header><h1>" + esc(w.title) +
         "</h1><p class=\"province\">" + esc(en && !cfg.province.name_en.empty() ? cfg.province.name_en : cfg.province.name) +
         " · <a href=\"/ket-qua" + std::string(en ? "" : "?lang=en") + "\" lang=\"" + (en ? "vi" : "en") + "\">" +
         esc(w.other) + "</a></p><p>" + esc(w.intro) + "</p></header><main>";
    // The filters: a plain GET form.
    h += "<form class=\"filters\" method=\"get\" action=\"/ket-qua\">";
    if (en) h += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
    h += "<label>" + esc(w.commune) + "<select name=\"commune\"><option value=\"\">" + esc(w.all) + "</option>";
    for (const auto& u : cfg.units)
        if (u.type != "district")
            h += "<option value=\"" + esc(u.code) + "\"" + (u.code == commune ? " selected" : "") + ">" + esc(u.name) + "</option>";
    h += "</select></label><label>" + esc(w.topic) + "<select name=\"topic\"><option value=\"\">" + esc(w.all) + "</option>";
    for (const auto& t : cfg.topics)
        h += "<option value=\"" + esc(t.id) + "\"" + (t.id == topic ? " selected" : "") + ">" + esc(topic_name(t.id)) + "</option>";
    h += "</select></label><label>" + esc(w.from) + "<input type=\"date\" name=\"from\" value=\"" + esc(from) +
         "\"></label><label>" + esc(w.to) + "<input type=\"date\" name=\"to\" value=\"" + esc(to) +
         "\"></label><button type=\"submit\">" + esc(w.show) + "</button></form>";
    if (items.empty()) h += "<p class=\"none\">" + esc(w.none) + "</p>";
    for (const auto& sid : sessions) {
        h += "<section><h2>" + esc(label_of(sid)) + "</h2>";
        for (const auto& i : items) {
            if (i.session != sid) continue;
            std::string topics, communes;
            for (const auto& t : i.topics) topics += (topics.empty() ? "" : ", ") + topic_name(t);
            for (const auto& u : i.communes) communes += (communes.empty() ? "" : ", ") + commune_name(u);
            h += "<article><h3>" + esc(topics) + " — " + esc(communes) + "</h3><p class=\"meta\">" +
                 std::to_string(i.concerns) + " " + esc(w.concerns) + " · " + std::to_string(i.citizens.size()) +
                 " " + esc(w.citizens) + " · " + esc(w.answered) + " " + day_of(i.answered_at, cfg) +
                 "</p>";
            if (!i.photos.empty()) {
                h += "<div class=\"photos\">";
                for (auto id : i.photos)
                    h += "<a href=\"/ket-qua/anh/" + std::to_string(id) + "\"><img src=\"/ket-qua/anh/" +
                         std::to_string(id) + "\" alt=\"" + esc(w.photo) + "\" loading=\"lazy\"></a>";
                h += "</div>";
            }
            h += "<blockquote>" + esc(i.answer) + "</blockquote>";
            if (!i.followed.empty()) {
                const auto& f = *i.followed.front();
                const std::string state = state_of(i);
                const char* state_words = state == "done" ? w.done : state == "overdue" ? w.late : w.doing;
                const auto deadline = dialogue::parse_date(f.deadline);
                const std::string due = deadline ? dialogue::day_text(*deadline) : f.deadline;
                h += "<p class=\"followup " + state + "\">" + esc(w.assigned) + " " + esc(f.assigned_to) + ", " +
                     esc(w.due) + " " + esc(due) + ": " + esc(f.promise) + " — <strong>" + esc(state_words) + "</strong>" +
                     (state == "done" && !f.followup_result.empty() ? ". " + esc(f.followup_result) : "") + "</p>";
            }
            h += "</article>";
        }
        h += "</section>";
    }
    if (cut) h += "<p class=\"none\">" + esc(w.more) + "</p>";
    h += "</main></body></html>";
    co_return http::text_response(http::status::ok, std::move(h), "text/html; charset=utf-8");
}

net::awaitable<http::response> service::public_photo(http::request_context& c) {
    const auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::photo_number_invalid);
    auto work = [id = *id](store::store& s) { return s.find_published_media(id); };
    auto file = co_await on_db(work);
    if (!file) co_return refuse(error::public_photo_not_found);
    auto res = http::text_response(http::status::ok, std::move(file->bytes), file->content_type);
    // Public, but an official may take it back: caches ask again after five minutes.
    res.set(beast::http::field::cache_control, "public, max-age=300");
    res.set("X-Content-Type-Options", "nosniff");
    co_return res;
}

net::awaitable<http::response> service::public_results_css(http::request_context&) {
    static constexpr std::string_view css =
        "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9;line-height:1.5}"
        "header{background:#a51d21;color:#fff;padding:1rem}header a{color:#fff}"
        "h1{margin:0 0 .25rem;font-size:1.4rem}main{max-width:60rem;margin:0 auto;padding:1rem}"
        ".filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;background:#fff;padding:1rem;"
        "border:1px solid #ddd;border-radius:8px}.filters label{display:flex;flex-direction:column;"
        "font-weight:600;gap:.25rem;flex:1 1 12rem;min-width:0}select,input,button{font:inherit;"
        "padding:.5rem;min-height:44px;max-width:100%;box-sizing:border-box}button{cursor:pointer}section{margin-top:1.5rem}h2{font-size:1.15rem}"
        "article{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}"
        "h3{font-size:1rem;margin:0}.meta{color:#555;margin:.25rem 0}blockquote{margin:.5rem 0;"
        "padding-left:.75rem;border-left:3px solid #a51d21;white-space:pre-wrap}"
        ".followup.overdue strong{color:#a51d21}.followup.done strong{color:#1d6b2f}.none{color:#555}"
        ".photos{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.photos img{width:9rem;height:7rem;"
        "object-fit:cover;border-radius:6px;border:1px solid #ddd}";
    co_return http::text_response(http::status::ok, std::string(css), "text/css; charset=utf-8");
}

}  // namespace dgw::api
