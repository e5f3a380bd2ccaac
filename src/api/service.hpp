#pragma once
// The API's handlers as members of one object (STYLE.md §3: member coroutines reached through
// non-coroutine forwarding lambdas). Split over service.cpp (plumbing, auth), users.cpp,
// concerns.cpp (concerns, messages, data requests), sessions.cpp (schedule, agenda,
// answers) and flows.cpp (flows, the editor, the simulator).

#include <dgw/api/access.hpp>
#include <dgw/api/agenda_export.hpp>
#include <dgw/api/api_keys.hpp>
#include <dgw/api/messages.hpp>
#include <dgw/api/routes.hpp>
#include <dgw/core/time_text.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/http/types.hpp>

#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dgw::api {

/// The request body as a JSON object, or nothing (then `error` is the 400 to answer).
std::optional<nlohmann::json> json_body(const http::request_context& c, http::response& error);

/// The language of the answer's words for people: "en" for `?lang=en` or an Accept-Language
/// starting with "en", else "vi".
std::string request_language(const http::request_context& c);

/// 400 with the policy's code and message (in the request's language) when `password` may not
/// be the password of `user_name`.
std::optional<http::response> password_refusal(const http::request_context& c,
                                               std::string_view password,
                                               std::string_view user_name);

/// The labels of sessions in one language (domain::session_label), by session id.
using session_labels = std::map<std::string, std::string, std::less<>>;
/// The label of `k`'s session from `labels`, else the one stored when it was filed (in its
/// citizen's language): its session no longer exists, or `labels` is not for it.
std::string session_label_of(const session_labels& labels, const store::concern& k);

/// The sessions officials may act on, before their edits: from a year back (for corrections),
/// or from `since` when that is earlier, to the routing horizon, those admins added included.
std::vector<dialogue::session> known_sessions(const dialogue::dialogue_config& cfg,
                                              const std::vector<store::added_session>& added,
                                              std::chrono::system_clock::time_point now,
                                              std::optional<std::chrono::year_month> since = {});

/// The ids of `k`'s photos the public may see (on /ket-qua, through Open311): the copies the
/// gateway kept that an official chose to show with the published answer.
std::vector<std::int64_t> public_photos(store::store& s, const store::concern& k);

/// known_sessions with the officials' edits applied (postponed, moved, cancelled).
std::vector<dialogue::session> edited_sessions(const dialogue::dialogue_config& cfg,
                                               const std::vector<store::added_session>& added,
                                               const std::vector<store::session_override>& overrides,
                                               std::chrono::system_clock::time_point now);

/// One session as officials see it (their edits applied), from a year back to the routing
/// horizon; nothing when no such session is scheduled.
std::optional<dialogue::session> find_session(const dialogue::dialogue_config& cfg,
                                              const std::vector<store::session_override>& overrides,
                                              const std::vector<store::added_session>& added,
                                              const std::string& id,
                                              std::chrono::system_clock::time_point now);

/// Which roles a route admits.
enum allow : unsigned { admins = 1, officials = 2, viewers = 4, staff = 3, everyone = 7 };

class service {
public:
    explicit service(api_deps deps);
    void register_routes(http::router& r, const std::shared_ptr<service>& self);

    using member = net::awaitable<http::response> (service::*)(http::request_context&,
                                                               const principal&);
    using body_member = net::awaitable<http::response> (service::*)(http::request_context&,
                                                                    const principal&,
                                                                    const nlohmann::json&);

    /// Parses the body as a JSON object (else 400) and runs `fn` with it: after the checks
    /// of guarded(), so that an unauthenticated request gets 401 whatever its body.
    template <body_member fn>
    net::awaitable<http::response> with_body(http::request_context& c, const principal& p) {
        http::response error;
        auto body = json_body(c, error);
        if (!body) co_return error;
        co_return co_await (this->*fn)(c, p, *body);
    }

    /// Authenticates, checks CSRF, the password-change gate and the role, then runs `fn`.
    /// A store that cannot answer becomes 503. An error of the catalogue (messages.hpp) is
    /// answered in the request's language.
    net::awaitable<http::response> guarded(http::request_context& c, unsigned allowed, member fn,
                                           bool before_password_change);
    using open_member = net::awaitable<http::response> (service::*)(http::request_context&);
    /// Runs a route that needs no login (the login itself); a store fault becomes 503. Errors
    /// in the request's language, as guarded().
    net::awaitable<http::response> unauthenticated(http::request_context& c, open_member fn);
    net::awaitable<http::response> login(http::request_context& c);
    http::response unavailable(const std::string& why);

private:
    // ----- auth and users (service.cpp)
    /// guarded() and unauthenticated() before the error's words are put in the language.
    net::awaitable<http::response> admitted(http::request_context& c, unsigned allowed, member fn,
                                            bool before_password_change);
    net::awaitable<http::response> answered(http::request_context& c, open_member fn);
    net::awaitable<std::optional<principal>> authenticate(http::request_context& c);
    net::awaitable<http::response> logout(http::request_context& c, const principal& p);
    net::awaitable<http::response> me(http::request_context& c, const principal& p);
    net::awaitable<http::response> change_password(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body);
    net::awaitable<http::response> list_users(http::request_context& c, const principal& p);
    net::awaitable<http::response> add_user(http::request_context& c, const principal& p,
                                            const nlohmann::json& body);
    net::awaitable<http::response> patch_user(http::request_context& c, const principal& p,
                                              const nlohmann::json& body);
    net::awaitable<http::response> reset_password(http::request_context& c, const principal& p);
    net::awaitable<http::response> issue_token(http::request_context& c, const principal& p);
    net::awaitable<bool> verify_off_thread(std::string password, std::string hash);
    net::awaitable<std::string> hash_off_thread(std::string password);
    /// A document made by a library that writes files or zips (libxlsxwriter, libzip): not on
    /// an I/O thread.
    net::awaitable<std::string> document_off_thread(std::function<std::string()> make);

    // ----- concerns (concerns.cpp)
    net::awaitable<http::response> list_concerns(http::request_context& c, const principal& p);
    net::awaitable<http::response> get_concern(http::request_context& c, const principal& p);
    net::awaitable<http::response> concern_photo(http::request_context& c, const principal& p);
    net::awaitable<http::response> publish_photo(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> patch_concern(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> merge_concern(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    /// Per topic: concerns whose topic and commune were read from the citizen's words, and how
    /// many of those officials corrected.
    net::awaitable<http::response> inference_stats(http::request_context& c, const principal& p);
    /// The dashboard's figures over the concerns in scope (stats.cpp): `?by=week|month`,
    /// `?from=&to=` (the filing day), as JSON or (`xlsx`) the province's report.
    net::awaitable<http::response> dashboard_report(http::request_context& c, const principal& p,
                                                    bool xlsx);
    net::awaitable<http::response> dashboard(http::request_context& c, const principal& p) {
        return dashboard_report(c, p, false);
    }
    net::awaitable<http::response> dashboard_workbook(http::request_context& c, const principal& p) {
        return dashboard_report(c, p, true);
    }
    /// Records in the concern's answers that `field` was corrected from `from` to `to`.
    static void correct(store::concern& k, const std::string& field, const std::string& from,
                        const std::string& to, const principal& who, store::time_point now);
    net::awaitable<http::response> messages(http::request_context& c, const principal& p);
    net::awaitable<http::response> export_contact(http::request_context& c, const principal& p);
    net::awaitable<http::response> erase_contact(http::request_context& c, const principal& p);

    // ----- flows and the simulator (flows.cpp)
    net::awaitable<http::response> list_flows(http::request_context& c, const principal& p);
    net::awaitable<http::response> validate_flow(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> simulate(http::request_context& c, const principal& p,
                                            const nlohmann::json& body);
    net::awaitable<http::response> get_flow(http::request_context& c, const principal& p);
    net::awaitable<http::response> get_flow_version(http::request_context& c, const principal& p);
    net::awaitable<http::response> save_flow_draft(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body);
    net::awaitable<http::response> publish_flow(http::request_context& c, const principal& p);
    net::awaitable<http::response> rollback_flow(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> diff_flow(http::request_context& c, const principal& p);
    net::awaitable<http::response> flow_counts(http::request_context& c, const principal& p);

    // ----- sessions, agenda, answers (sessions.cpp)
    net::awaitable<http::response> list_sessions(http::request_context& c, const principal& p);
    net::awaitable<http::response> localities(http::request_context& c, const principal& p);
    net::awaitable<http::response> find_localities(http::request_context& c, const principal& p);
    net::awaitable<http::response> create_session(http::request_context& c, const principal& p,
                                                  const nlohmann::json& body);
    net::awaitable<http::response> patch_session(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> delete_session(http::request_context& c, const principal& p);
    net::awaitable<http::response> agenda(http::request_context& c, const principal& p);
    net::awaitable<http::response> agenda_export(http::request_context& c, const principal& p,
                                                 std::string format);
    net::awaitable<http::response> csv_agenda(http::request_context& c, const principal& p) {
        return agenda_export(c, p, "csv");
    }
    net::awaitable<http::response> xlsx_agenda(http::request_context& c, const principal& p) {
        return agenda_export(c, p, "xlsx");
    }
    net::awaitable<http::response> printable_agenda(http::request_context& c, const principal& p) {
        return agenda_export(c, p, "html");
    }
    /// The minutes: "html" (A4 print), "odt" or "xlsx" (minutes.hpp).
    net::awaitable<http::response> minutes_export(http::request_context& c, const principal& p,
                                                  std::string format);
    net::awaitable<http::response> printable_minutes(http::request_context& c, const principal& p) {
        return minutes_export(c, p, "html");
    }
    net::awaitable<http::response> odt_minutes(http::request_context& c, const principal& p) {
        return minutes_export(c, p, "odt");
    }
    net::awaitable<http::response> xlsx_minutes(http::request_context& c, const principal& p) {
        return minutes_export(c, p, "xlsx");
    }
    net::awaitable<http::response> move_to_group(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> name_group(http::request_context& c, const principal& p,
                                              const nlohmann::json& body);
    net::awaitable<http::response> mark_raised(http::request_context& c, const principal& p,
                                               const nlohmann::json& body);
    net::awaitable<http::response> answer(http::request_context& c, const principal& p,
                                          const nlohmann::json& body);
    net::awaitable<http::response> reach(http::request_context& c, const principal& p);
    net::awaitable<http::response> session_note(http::request_context& c, const principal& p,
                                                const nlohmann::json& body);

    // ----- invitations to a session: links and QR codes (invite.cpp) --------------------------
    net::awaitable<http::response> session_invite(http::request_context& c, const principal& p);

    // ----- the public page of answers (public_results.cpp) -------------------------------------
    net::awaitable<http::response> public_results(http::request_context& c);
    net::awaitable<http::response> public_results_css(http::request_context& c);
    net::awaitable<http::response> public_photo(http::request_context& c);

    // ----- the API described: docs/openapi.json, compiled in (openapi.cpp) --------------------
    net::awaitable<http::response> openapi_document(http::request_context& c);

    // ----- the sessions as a calendar to subscribe to (calendar_feed.cpp) ----------------------
    net::awaitable<http::response> sessions_calendar(http::request_context& c);

    // ----- Open311 GeoReport v2 under /open311/v2 (open311_routes.cpp) -------------------------
    /// Runs a GeoReport route: its format from the path (.json or .xml), jurisdiction_id
    /// checked, a store fault answered 503; every error in the spec's shape.
    net::awaitable<http::response> open311_answered(http::request_context& c, open_member fn);
    net::awaitable<http::response> open311_discovery(http::request_context& c);
    net::awaitable<http::response> open311_services(http::request_context& c);
    net::awaitable<http::response> open311_service(http::request_context& c);
    net::awaitable<http::response> open311_requests(http::request_context& c);
    net::awaitable<http::response> open311_request(http::request_context& c);
    /// Files a concern for a client system with a valid key (intake.hpp, as officials'
    /// registrations are: the chat's routing and consent rules).
    net::awaitable<http::response> open311_post_request(http::request_context& c);
    net::awaitable<http::response> open311_token(http::request_context& c);
    /// The service requests of `found` in `lang`, with their sessions as they stand and the
    /// photos officials published. On the database thread.
    nlohmann::ordered_json open311_requests_json(store::store& s, const std::vector<store::concern>& found,
                                         std::string_view lang) const;

    // ----- after the meeting: assigned work (followups.cpp) ------------------------------------
    net::awaitable<http::response> list_followups(http::request_context& c, const principal& p);
    net::awaitable<http::response> close_followup(http::request_context& c, const principal& p,
                                                  const nlohmann::json& body);

    // ----- concerns officials register: letters, the desk, the hotline, the press (intake.cpp)
    net::awaitable<http::response> register_concern(http::request_context& c, const principal& p,
                                                    const nlohmann::json& body);
    /// Many at once from a CSV file, with a row-by-row report of what was refused and why.
    net::awaitable<http::response> import_concerns(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body);

    // ----- the hand-off inbox (handoffs.cpp)
    net::awaitable<http::response> list_handoffs(http::request_context& c, const principal& p);
    net::awaitable<http::response> get_handoff(http::request_context& c, const principal& p);
    net::awaitable<http::response> reply_handoff(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    net::awaitable<http::response> handoff_concern(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body);
    net::awaitable<http::response> close_handoff(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body);
    /// Where a hand-off belongs for scope checks: its commune; one the citizen never placed
    /// belongs to the province level.
    concern_place place_of(const store::handoff& h) const;
    /// 404 when there is no hand-off `id`, 403 when it is outside `p`'s scope; nothing when
    /// `p` may act on it.
    std::optional<http::response> handoff_refusal(const std::optional<store::handoff>& h,
                                                  std::int64_t id, const principal& p) const;

public:
    // Shared by the handler files.
    /// Runs `f(store&)` on the database thread and returns its result.
    template <class F>
    net::awaitable<std::invoke_result_t<F&, store::store&>> on_db(F f) {
        using R = std::invoke_result_t<F&, store::store&>;
        // Callers pass named lambdas, and nothing here is a temporary inside a co_await
        // expression: GCC 12 relocates such temporaries into coroutine frames bytewise
        // (a std::string's small buffer then points into the caller's frame; ASan: bad-free).
        if constexpr (std::is_void_v<R>) {
            std::function<void(store::store&)> work = std::move(f);
            co_await deps_.db->run(std::move(work));
        } else {
            auto out = std::make_shared<std::optional<R>>();
            auto fill = [f = std::move(f), out](store::store& s) mutable { out->emplace(f(s)); };
            co_await on_db(fill);
            co_return std::move(**out);
        }
    }

    /// Where a concern belongs for scope checks.
    concern_place place_of(const store::concern& c) const;
    /// 404 when there is no concern `ref` (in session `session`, when given), 403 when it is
    /// outside `p`'s scope; nothing when `p` may act on it.
    std::optional<http::response> refusal(const std::optional<store::concern>& k,
                                          const std::string& ref, const principal& p,
                                          const std::string& session = {}) const;
    /// Where a session belongs for scope checks: its level, and its unit (a commune) when it
    /// is held for one.
    concern_place place_of(const dialogue::session& s) const;
    /// 404 when there is no session `id`; 403 when `p` may see none of it: neither its place
    /// nor (`sees_concerns`) one of its concerns is in their scope. Nothing when `p` may.
    std::optional<http::response> session_refusal(const std::optional<dialogue::session>& s,
                                                  const std::string& id, const principal& p,
                                                  bool sees_concerns) const;
    /// The labels, in `lang`, of the sessions `ks` are filed to, from the schedule as officials
    /// see it now (their edits applied). A session that no longer exists has none. On the
    /// database thread: it reads the sessions admins added and officials' edits.
    session_labels labels_of(store::store& s, const std::vector<store::concern>& ks,
                             std::string_view lang) const;
    /// The platform a channel is on; "" for a channel no longer configured.
    std::string channel_type(const std::string& channel) const;
    /// The concern as the principal may see it. Its session is labelled from `labels` (the
    /// reader's language); a session `labels` lacks keeps the label stored at filing, in the
    /// citizen's language.
    nlohmann::json concern_json(const store::concern& c, const principal& p,
                                const session_labels& labels) const;

    api_deps deps_;
    login_throttle logins_;
    // Slow or blocking work off the I/O threads, one at a time: scrypt costs ~0.1 s of CPU
    // (a burst of logins cannot take every core), a workbook goes through a temporary file.
    boost::asio::thread_pool kdf_{1};
    // Verified against when the user does not exist, so that an unknown name takes as long
    // as a wrong password and the two cannot be told apart.
    std::string dummy_hash_;
    // When this service started: the discovery document's changeset.
    store::time_point started_;
    // Each Open311 key's filings in the last hour.
    api_key_limiter open311_keys_;
};

/// A positive decimal id ("42"), or nothing.
std::optional<std::int64_t> parse_id(const std::string& text);

/// A string member, or nothing when absent or not a string.
std::optional<std::string> string_member(const nlohmann::json& j, const char* key);

/// A JSON object body as a 200 response.
http::response ok(const nlohmann::json& body);

/// An audit line from now, by `p`.
store::audit_entry audit_line(const principal& p, store::time_point now, std::string action,
                              std::string target, const nlohmann::json& before,
                              const nlohmann::json& after);

}  // namespace dgw::api
