#pragma once
/// The one storage interface (DESIGN.md "Shape"): the durable inbox, contacts, conversations,
/// concerns, the outbox, timers and the audit log. Implementations: SQLite (embedded default)
/// and, later, PostgreSQL.
///
/// The interface is synchronous and NOT thread-safe: the pipeline runs every call on one
/// database thread (STYLE.md §3), which is also what makes SQLite's single writer cheap.
/// Each mutating call is one transaction. Infrastructure faults (disk full, database gone)
/// throw `store::unavailable`; the callers turn that into 503 or a retry.

#include <dgw/core/message.hpp>
#include <dgw/core/reach.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dgw::store {

using time_point = std::chrono::system_clock::time_point;

/// The database cannot take the operation right now (I/O error, full, locked too long).
class unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A stored row that cannot be read back (a disk fault, a hand edit, another program): the
/// message names its table, id and column, and what is wrong at which JSON path. Rows the
/// gateway wrote itself always read back.
class corrupt_row : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ----- inbox ------------------------------------------------------------------------------------

struct inbox_item {
    std::string channel;  ///< channel id from config, e.g. "telegram"
    core::inbound_event event;
    time_point received_at;
    /// `event` as JSON text when the caller has serialised it already (the webhook handler
    /// does, on its own thread); empty: the store serialises it.
    std::string event_json{};
};

struct inbox_row {
    std::int64_t id = 0;
    std::string channel;
    core::inbound_event event;
    time_point received_at;
};

struct append_result {
    std::size_t stored = 0;
    std::size_t duplicates = 0;  ///< (channel, dedup_key) already present: no effect
    std::vector<bool> fresh;     ///< per item, in order: true when stored, false when a duplicate
};

// ----- contacts and conversations -------------------------------------------------------------

struct contact {
    std::int64_t id = 0;
    std::string channel;
    std::string user_id;
    std::string display_name;
    std::string language;
    time_point created_at;
    time_point last_inbound_at;
    /// The dialogue session an official's invitation (a link, a QR code) brought them to, and
    /// when; "" = none. Their concerns go there when it hears them (domain::audience_for).
    /// Read by find_contact only: upsert_contact and ensure_contact leave them empty.
    std::string invite = {};
    std::optional<time_point> invited_at = {};
};

/// One contact's run through one version of one flow. At most one is active per contact.
struct conversation {
    std::string key;  ///< stable id chosen by the pipeline, e.g. "17.0"
    std::int64_t contact_id = 0;
    std::string flow_id;
    int flow_version = 0;
    nlohmann::json state;
    bool active = true;
    std::string outcome;  ///< "", "completed", "cancelled", "expired"
    time_point started_at;
    time_point updated_at;
    /// The state as stored JSON text. active_conversation_text fills it and leaves `state`
    /// null; a step that sets it has it written as is instead of `state` (it must be
    /// `state.dump()`). The worker keeps the states it wrote parsed, and reuses one when the
    /// text it reads back is the text it wrote: parsing every state again was a tenth of the
    /// database thread's time.
    std::string state_text{};
};

// ----- concerns ---------------------------------------------------------------------------------

struct concern {
    std::int64_t id = 0;
    std::string ref;  ///< e.g. "LC-7K4M2"
    std::int64_t contact_id = 0;
    std::string channel;
    std::string conversation_key;
    std::string topic;
    std::string commune_code;
    std::string commune_name;
    std::string text;
    nlohmann::json media = nlohmann::json::array();
    std::optional<double> lat, lon;
    std::string phone;  ///< empty when anonymous
    bool anonymous = false;
    bool consent = false;
    bool urgent = false;
    std::string status;  ///< received, scheduled, answered, forwarded, withdrawn, merged, unscheduled
    std::string session_id;
    std::string session_label;
    std::string route_reason;
    std::string answer;
    nlohmann::json answers = nlohmann::json::object();  ///< everything the flow collected
    time_point created_at;
    time_point updated_at;
    std::string assignee;      ///< user name of the official it is assigned to, or ""
    std::string merged_into;   ///< reference of the concern it was merged into, or ""
    std::string agenda_group;  ///< agenda group an official moved it to, or "" (automatic)
    /// When the answer was last recorded and sent, and by which official (their user name).
    std::optional<time_point> answered_at;
    std::string answered_by;
    /// Where it came from: "chat" (a platform or the web chat), or what officials register:
    /// "letter", "reception" (the desk), "hotline", "press", "meeting" (raised in the room).
    std::string source = "chat";
    /// The name the citizen gave when an official registered it (with their consent), or "".
    std::string citizen_name;
    /// The citizen's verdict on the answer: "" (none given), "satisfied" or "unsatisfied", the
    /// reason they gave and when. Written by record_verdict only, never by update_concern.
    std::string verdict;
    std::string verdict_reason;
    std::optional<time_point> verdict_at;
    /// The concern this one re-opens (its citizen found that answer unsatisfying), or "".
    std::string follows;
    /// What its answer promised: "" (nothing recorded), "settled", "assigned" (to the office
    /// `assigned_to` by `deadline`, "YYYY-MM-DD", promising `promise`) or "closed" (with
    /// `followup_result`, at `followup_closed_at`).
    std::string followup;
    std::string assigned_to;
    std::string deadline;
    std::string promise;
    std::string followup_result;
    std::optional<time_point> followup_closed_at;
    /// The official chose to show its answer on the public page of results (/ket-qua).
    bool published = false;
    /// Raised at the meeting (the live view's mark, or registered there): when and by which
    /// official; unset while it has not been raised.
    std::optional<time_point> raised_at;
    std::string raised_by;
    /// Who gave the answer at the meeting and their office ("Ông Lê Văn B", "Phòng Tài
    /// nguyên và Môi trường"), for the minutes; "" when not noted.
    std::string speaker;
    std::string speaker_office;
    /// The themed audience it was filed for (dialogue::audience ids), or "" (everyone): kept so
    /// that re-routing it keeps the audience's sessions first.
    std::string audience = {};
    /// The deadline of which the assigned office's officials were last reminded ("" before
    /// any reminder): a new deadline is reminded of again, the same one never twice.
    std::string office_reminded = {};
    /// On insert only: queue a copy of each photo into the gateway's own storage (the
    /// platform's links expire), in the same transaction (media_copy).
    bool copy_media = false;
};

/// Which concerns a search returns. Empty / unset members do not filter.
struct concern_filter {
    std::string session_id;
    std::string commune_code;
    std::string topic;
    std::string status;
    std::optional<bool> urgent;
    std::optional<std::int64_t> contact_id;
};

/// One page of a search, and how many concerns matched in all.
struct concern_page {
    std::vector<concern> items;
    std::size_t total = 0;
};

// ----- outbox -----------------------------------------------------------------------------------

struct outbox_message {
    std::int64_t id = 0;
    std::string channel;
    std::string user_id;
    std::int64_t contact_id = 0;
    /// "message" (a core::outbound_message: a reply), "notice" (one with a "notice" member: a
    /// core::notice officials send, to which the platforms' rules for late messages apply),
    /// "offer" (`{"ref"}`: the opt-in a platform needs, asked for after a receipt) or "ack"
    std::string kind = "message";
    nlohmann::json payload;          ///< the message, or the inbound event being acknowledged
    std::string status = "pending";  ///< pending, sent, failed
    int attempts = 0;
    time_point next_attempt_at;
    std::string last_error;
    std::int64_t inbox_id = 0;  ///< the event that caused it (0 for notifications)
    time_point created_at;
    std::optional<time_point> sent_at;
    /// A previous process handed it to the platform and died before recording the answer:
    /// it was sent again, so the citizen may have received it twice.
    bool in_doubt = false;
    /// When the contact last wrote to us (contacts.last_inbound_at), read with the message so
    /// the sender can check reply windows (Meta: 24 hours); nothing without a contact.
    std::optional<time_point> contact_last_inbound_at;
    /// From sendable_outbox only, in place of `payload`: the payload as stored, for the sender
    /// to parse on its own thread (parse_payload) rather than on the database thread, which is
    /// the gateway's one serial resource.
    std::string payload_text;
    /// How it reached (or tried to reach) the citizen: core::to_string(core::reach_path), ""
    /// before the first attempt. "next_contact" while it is held, and after it was delivered
    /// at the citizen's next message.
    std::string path{};
    /// Set while it is held for the citizen's next message: nothing reached them yet, and it
    /// is not sent (nor does it hold back their later messages) until they write.
    std::optional<time_point> held_at{};
    std::string notice_id{};   ///< notices: the officials' action (one answer, one session edit)
    std::string session_id{};  ///< notices: the session it is about
};

/// Fills `payload` from `payload_text` when the store left it unparsed. Throws corrupt_row,
/// naming the message, on a payload that is not JSON.
void parse_payload(outbox_message& m);

/// How one send went, recorded with others in one transaction.
struct send_result {
    /// held: no path reaches the citizen now; kept (with `reason`) for their next message.
    enum class kind { sent, retry, failed, held };
    std::int64_t id = 0;
    kind outcome = kind::sent;
    int attempts = 0;             ///< attempts so far, this one included
    time_point at;                ///< when it was sent / failed
    time_point next_attempt_at;   ///< retry only
    std::string reason;           ///< retry, failed and held
    std::string path{};           ///< sent and failed: the path taken (core::reach_path)
    /// A notification token of the message's contact that is spent (a one-time token used) or
    /// refused by the platform: deleted.
    std::string spent_token{};
};

// ----- reaching a citizen after their platform's reply window ---------------------------------

/// What a platform let the gateway do for one contact, and the phone number they gave with
/// their consent to be contacted (the SMS and ZNS paths).
struct contact_reach {
    std::vector<core::permission> permissions;  ///< newest first
    std::string phone;  ///< digits with the country code ("84912345678"), or ""
};

/// A permission change of one contact, written with the step that read it.
struct permission_change {
    std::int64_t contact_id = 0;
    core::permission permission;
};

// ----- channel tokens ---------------------------------------------------------------------------

/// The current token pair of a channel whose access token the gateway refreshes (Zalo OA).
/// The refresh token works once, so the row is the only place the pair in use lives.
struct channel_token {
    std::string channel;
    std::string access_token;
    std::string refresh_token;
    std::optional<time_point> expires_at;  ///< unknown for a pair taken from the config
    time_point updated_at;
    /// A fingerprint of the configured pair the row was last seeded from (never the tokens).
    std::string seed;
};

struct timer {
    std::int64_t id = 0;
    std::string conversation_key;
    std::string timer_id;
    time_point due_at;
};

// ----- flows edited by admins ------------------------------------------------------------------

/// A flow document an admin saved: the one draft of a flow (version 0, status "draft"; kept as
/// the admin's text, so a draft that is not even valid JSON loses nothing), or a published
/// version (status "published", the number new conversations start on once it is the highest).
struct flow_version {
    std::string flow_id;
    int version = 0;        ///< 0 for the draft
    std::string document;   ///< the JSON text
    std::string status;     ///< "draft" or "published"
    std::string author;     ///< user name
    time_point created_at;  ///< published: when it was published
    time_point updated_at;
};

/// How many times conversations on one version of one flow entered a node and moved on from
/// it (flow::step_result reached/left, summed).
struct node_count {
    std::string flow_id;
    int version = 0;
    std::string node;
    std::int64_t reached = 0;
    std::int64_t left = 0;
};

// ----- hand-offs: conversations the bot passed to a person ------------------------------------

/// One line of a hand-off's exchange: what the citizen wrote, or an official's reply.
struct handoff_message {
    std::int64_t id = 0;
    std::string author;  ///< "citizen", "official" or "bot"
    std::string by;      ///< the official's user name (author "official")
    std::string text;
    time_point at;
};

/// A citizen the bot could not help (or who asked for a person), waiting for an official:
/// what they had already said (topic, commune) and the exchange since. One open per contact.
struct handoff {
    std::int64_t id = 0;
    std::int64_t contact_id = 0;
    std::string channel;
    std::string display_name;  ///< the contact's, when listed
    std::string reason;        ///< the flow's reason ("menu_not_understood", ...)
    std::string lang = "vi";   ///< the citizen's language in the conversation
    std::string topic;
    std::string commune_code;
    std::string commune_name;
    std::string status = "open";  ///< open, closed
    time_point created_at;
    time_point updated_at;
    std::optional<time_point> seen_at{};  ///< when an official first opened it
    std::string seen_by;
    std::optional<time_point> closed_at{};
    std::string closed_by;
    std::string concern_ref;  ///< the concern it was turned into, if any
    std::vector<handoff_message> messages{};  ///< oldest first (find_handoff only)
    std::size_t message_count = 0;
    std::string last_text;  ///< the latest message's text (list_handoffs only)
};

/// What a step adds to hand-offs: the bot gave up (`opens`: the contact's hand-off is opened,
/// or the open one kept, with what the conversation had gathered) and what the citizen wrote
/// (added to their open hand-off, if any).
struct handoff_note {
    std::int64_t contact_id = 0;
    bool opens = false;
    std::string channel;
    std::string reason;
    std::string lang;
    std::string topic;
    std::string commune_code;
    std::string commune_name;
    std::string said;   ///< what the conversation had gathered before (the description), or ""
    std::string wrote;  ///< what the citizen wrote in this step, or ""
};

/// Everything one processed inbox event (or fired timer) changes, committed atomically
/// (DESIGN.md invariant 3).
struct step_write {
    std::int64_t inbox_id = 0;  ///< marked done (0 = a timer step, nothing to mark)
    std::int64_t timer_id = 0;  ///< deleted (0 = none)
    std::vector<conversation> conversations;  ///< upserted by key
    std::vector<concern> concerns;            ///< inserted (ids assigned)
    std::vector<outbox_message> outbox;       ///< appended in order
    /// Conversations whose timers are replaced by `timers` (cleared when the list is empty).
    std::vector<std::string> timers_reset_for;
    std::vector<timer> timers;
    std::string inbox_error;  ///< non-empty: the event is marked failed with this reason
    /// Added to the per-node counts, with the conversations (so a step is counted once).
    std::vector<node_count> node_counts;
    /// Stored per contact: a token replaces the contact's previous one of the same kind
    /// (a one-time notification token is one of several); follow and subscription keep only
    /// the latest state.
    std::vector<permission_change> permissions{};
    /// Contacts who wrote (or gave a permission): their held messages are due again, at `at`.
    std::vector<std::int64_t> release_held{};
    time_point at{};  ///< when the step ran (the worker's clock), for the two above
    std::optional<handoff_note> handoff{};
    /// A citizen's verdict on an answered concern (record_verdict), at `at`.
    struct verdict_note {
        std::string ref;
        std::string verdict;
        std::string reason;
    };
    std::optional<verdict_note> verdict{};
    /// An invitation the contact followed (core::inbound_event::invite), kept on the contact.
    struct invite_note {
        std::int64_t contact_id = 0;
        std::string session;
    };
    std::optional<invite_note> invite{};
};

// ----- photos kept by the gateway -----------------------------------------------------------------

/// Where the copy of a concern's photo into the gateway's own storage stands.
enum class media_copy_status {
    pending,  ///< not copied yet (due now, or retried later)
    kept,     ///< copied: its bytes are a media_file
    refused,  ///< fetched, but too large or not an image the gateway keeps
    failed,   ///< every try failed, or the channel offers no way to fetch it
};

inline const char* to_string(media_copy_status s) {
    switch (s) {
        case media_copy_status::pending: return "pending";
        case media_copy_status::kept: return "kept";
        case media_copy_status::refused: return "refused";
        case media_copy_status::failed: return "failed";
    }
    return "pending";
}

/// One photo of a filed concern, to be copied from the platform that has it.
struct media_copy {
    std::int64_t id = 0;
    std::int64_t concern_id = 0;
    std::size_t index = 0;  ///< its place in the concern's `media`
    std::string channel;
    std::string media_id;  ///< as the event carried it (an id or a download URL)
    media_copy_status status = media_copy_status::pending;
    /// An official chose to show this photo on the public page of results, with the answer
    /// (only a kept copy of a published answer is ever shown).
    bool published = false;
    int attempts = 0;     ///< tries that failed so far
    std::string reason;   ///< why it was refused or failed; the last failure while pending
    time_point next_attempt_at;
    time_point updated_at;
};

/// A photo's bytes in the gateway's own storage.
struct media_file {
    std::string content_type;  ///< read from the bytes: "image/jpeg", ...
    std::string bytes;
    std::string sha256;  ///< of the bytes, lower-case hex
    time_point created_at;
};

// ----- accounts (officials and admins) -----------------------------------------------------------

/// A person who uses the API: role "admin", "official" or "viewer"; an official's scope lists
/// unit codes and/or level ids.
struct user {
    std::int64_t id = 0;
    std::string name;
    std::string role;
    std::vector<std::string> scope;
    /// The office they work in ("Phòng Kinh tế xã"), matched against the office an answer
    /// assigns work to, and their phone (E.164) for the reminders of that work by SMS; "" when
    /// not given.
    std::string office = {};
    std::string phone = {};
    std::string password_hash;  ///< "$scrypt$..." (api/password.hpp)
    bool disabled = false;
    bool must_change_password = false;  ///< set for generated one-time passwords
    time_point created_at;
    time_point updated_at;
};

/// A browser login. Only a SHA-256 of the cookie's token is stored, so a copy of the database
/// does not let anyone in.
struct login_session {
    std::string token_hash;  ///< hex SHA-256 of the cookie value
    std::int64_t user_id = 0;
    std::string csrf_token;  ///< sent back in X-CSRF-Token by state-changing requests
    time_point created_at;
    time_point last_seen_at;
};

/// A bearer token for scripts; stored hashed like sessions.
struct api_token {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string token_hash;
    time_point created_at;
};

/// One line of the audit log: who did what to which target, when, and the state before and
/// after (JSON text, "" when there is none).
struct audit_entry {
    std::int64_t id = 0;
    time_point at;
    std::string actor;
    std::string action;
    std::string target;
    std::string before;
    std::string after;
};

/// An official's change to a dialogue session (PATCH /api/v1/sessions/{id}).
struct session_override {
    std::string session_id;
    std::string status;  ///< "", "postponed" or "cancelled"
    std::string date;    ///< new date "YYYY-MM-DD", or ""
    std::string venue;   ///< new venue, or ""
    std::string note;
    time_point updated_at;
    /// How to attend or watch it (a live stream, a registration page), told to its citizens
    /// in the reminder; "" = nothing to add.
    std::string watch_link = {};
    /// Who chairs it ("Ông Nguyễn Văn A, Chủ tịch UBND xã"), for the minutes; "" = not set.
    std::string chair = {};
};

/// A citizen with concerns on a session's agenda, to be reminded of it.
struct to_remind {
    std::int64_t contact_id = 0;
    std::vector<std::string> refs;  ///< their concerns on it, oldest first
};

/// A dialogue session an admin added (POST /api/v1/sessions) beside those of the config: an
/// agency's conference, an extra commune or province meeting.
struct added_session {
    std::string id;  ///< "<level>-<locality>-<yyyy>-<mm>-<dd>" (dialogue::added_session_id)
    std::string level;
    std::string locality;  ///< province code, unit code or organisation id
    std::string date;      ///< "YYYY-MM-DD"
    std::string venue;
    std::string audience;             ///< "" = open to everyone
    std::vector<std::string> topics;  ///< empty: every topic its level hears
    std::string title_vi;
    std::string title_en;
    std::string created_by;  ///< user name
    time_point created_at;

    friend bool operator==(const added_session&, const added_session&) = default;
};

/// A name an official gave an agenda group of a session.
struct agenda_name {
    std::string session_id;
    std::string group;  ///< the group's key (its representative concern's reference)
    std::string name;
};

struct outbox_filter {
    std::optional<std::int64_t> contact_id;
    std::size_t limit = 100;
};

class store {
public:
    virtual ~store() = default;

    /// Appends events in one transaction; duplicates of (channel, dedup_key) are skipped.
    virtual append_result append_inbox(const std::vector<inbox_item>& items) = 0;
    /// Pending events in arrival order.
    virtual std::vector<inbox_row> pending_inbox(std::size_t limit) = 0;
    virtual std::size_t inbox_backlog() = 0;

    /// The contact for (channel, user_id), created if new; refreshes name, language and
    /// last_inbound_at. Idempotent.
    virtual contact upsert_contact(const std::string& channel, const std::string& user_id,
                                   const std::string& display_name, const std::string& language,
                                   time_point now) = 0;
    virtual std::optional<contact> find_contact(std::int64_t id) = 0;
    /// The contact for (channel, user_id), created with `now` if new; an existing one is left
    /// as it is (an event that is not a message, such as a notification opt-in, does not
    /// change when the contact last wrote).
    virtual contact ensure_contact(const std::string& channel, const std::string& user_id,
                                   time_point now) = 0;

    virtual std::optional<conversation> active_conversation(std::int64_t contact_id) = 0;
    /// The same, with the state left unparsed in `state_text`.
    virtual std::optional<conversation> active_conversation_text(std::int64_t contact_id) = 0;
    virtual std::optional<conversation> find_conversation(const std::string& key) = 0;

    virtual bool concern_ref_exists(const std::string& ref) = 0;
    virtual std::optional<concern> find_concern(const std::string& ref) = 0;
    /// Answered concerns assigned to an office whose deadline ("YYYY-MM-DD") is before
    /// `before_day`, still open: to be carried to the next session.
    virtual std::vector<concern> overdue_followups(const std::string& before_day) = 0;
    /// The concern of `contact_id` whose answer awaits their verdict: answered at or after
    /// `since` and no verdict yet (the latest answered, when several are).
    virtual std::optional<concern> awaiting_verdict(std::int64_t contact_id, time_point since) = 0;
    /// Records a citizen's verdict ("satisfied" or "unsatisfied") on an answered concern; false
    /// when it has one already (a redelivered message records nothing twice).
    virtual bool record_verdict(const std::string& ref, const std::string& verdict,
                                const std::string& reason, time_point at) = 0;
    virtual std::vector<concern> list_concerns(const std::string& session_id,
                                               std::size_t limit) = 0;

    /// Runs `body` in one transaction: everything it writes commits together, or nothing
    /// does if it throws. Transactions opened inside (by the calls below) join it, each as a
    /// savepoint that can fail alone.
    virtual void transact(const std::function<void()>& body) = 0;

    /// Commits the steps in one transaction, in order (a worker batch).
    virtual void commit_steps(std::vector<step_write>& steps) = 0;

    /// Timers due at `now`, earliest first.
    virtual std::vector<timer> due_timers(time_point now, std::size_t limit) = 0;

    /// For each (channel, contact), the oldest pending message, if due by `now`, claimed or
    /// not: sending only the head of each contact's queue keeps its replies in order
    /// (invariant 4).
    virtual std::vector<outbox_message> sendable_outbox(time_point now, std::size_t limit) = 0;
    /// Records that these messages are being handed to the platform now.
    virtual void claim_outbox(const std::vector<std::int64_t>& ids, time_point at) = 0;
    /// At start-up: claims left by a dead process become `in_doubt` (they will be sent
    /// again). Returns how many.
    virtual std::size_t release_claims() = 0;
    /// Records several send outcomes in one transaction.
    virtual void record_sends(const std::vector<send_result>& results) = 0;
    virtual void mark_sent(std::int64_t id, time_point at) = 0;
    virtual void mark_failed(std::int64_t id, const std::string& reason, time_point at) = 0;
    virtual void reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                            const std::string& last_error) = 0;
    /// Pending messages, those held for the citizen's next message aside.
    virtual std::size_t outbox_pending() = 0;
    /// Messages held for the citizen's next message.
    virtual std::size_t outbox_held() = 0;
    /// The permissions of a contact and the phone number they gave with consent (of their
    /// newest concern with one), for the sender to choose a path.
    virtual contact_reach reach_of(std::int64_t contact_id) = 0;
    /// The notices about a session, oldest first: who was told, by which path, who not and
    /// why.
    virtual std::vector<outbox_message> list_notices(const std::string& session_id) = 0;
    /// One user's messages sent after outbox id `after_id`, oldest first, at most `limit`:
    /// what a page that fetches its replies (the web chat) has not shown yet. Only replies and
    /// notices (not acks or offers) whose status is `sent`; a contact's messages are sent in id
    /// order, so nothing sent later can appear before one already returned.
    virtual std::vector<outbox_message> outbox_after(const std::string& channel,
                                                     const std::string& user_id,
                                                     std::int64_t after_id,
                                                     std::size_t limit) = 0;
    /// The message log: inbound and outbound, newest first.
    virtual std::vector<outbox_message> list_outbox(const outbox_filter& f) = 0;
    virtual std::vector<inbox_row> list_inbox(std::optional<std::int64_t> contact_id,
                                              std::size_t limit) = 0;

    /// At start-up, for a channel whose tokens are refreshed: the stored pair, which is newer
    /// than the config's after a refresh. `configured` (with its `seed` fingerprint) is stored
    /// instead when the channel has no row yet, or when its seed differs from the row's: an
    /// operator has put a new pair in the config. One transaction; returns the row in use.
    virtual channel_token seed_channel_token(const channel_token& configured) = 0;
    /// Stores the pair a refresh returned, replacing the old one, in one transaction.
    virtual void save_channel_token(const channel_token& token) = 0;
    virtual std::optional<channel_token> find_channel_token(const std::string& channel) = 0;

    // ----- accounts ------------------------------------------------------------------------

    virtual std::size_t count_users() = 0;
    /// Inserts; nothing (and no change) when the name is taken. Returns the new id.
    virtual std::optional<std::int64_t> add_user(const user& u) = 0;
    virtual std::optional<user> find_user(std::int64_t id) = 0;
    virtual std::optional<user> find_user_by_name(const std::string& name) = 0;
    virtual std::vector<user> list_users() = 0;
    virtual void set_password(std::int64_t user_id, const std::string& hash, bool must_change,
                              time_point now) = 0;
    /// Changes the role and scope (the caller checked them).
    virtual void set_role(std::int64_t user_id, const std::string& role,
                          const std::vector<std::string>& scope, time_point now) = 0;

    /// Changes the office and phone (the caller checked them).
    virtual void set_office(std::int64_t user_id, const std::string& office,
                            const std::string& phone, time_point now) = 0;

    /// A disabled user can neither log in nor use a session or token (the sessions are deleted).
    virtual void set_disabled(std::int64_t user_id, bool disabled, time_point now) = 0;

    virtual void add_login_session(const login_session& s) = 0;
    virtual std::optional<login_session> find_login_session(const std::string& token_hash) = 0;
    virtual void touch_login_session(const std::string& token_hash, time_point at) = 0;
    virtual void delete_login_session(const std::string& token_hash) = 0;
    /// Every session of the user except `keep_hash` (after a password change).
    virtual void delete_login_sessions_of(std::int64_t user_id, const std::string& keep_hash) = 0;

    virtual void add_api_token(const api_token& t) = 0;
    virtual std::optional<api_token> find_api_token(const std::string& token_hash) = 0;

    virtual void append_audit(const audit_entry& e) = 0;
    /// The audit lines of one target, oldest first.
    virtual std::vector<audit_entry> list_audit(const std::string& target, std::size_t limit) = 0;

    // ----- officials' work on concerns and sessions ----------------------------------------

    /// Concerns matching `f` and `keep` (a predicate for what SQL cannot do: scope, folded
    /// text search), oldest first: `limit` of them after skipping `offset`, and the total.
    virtual concern_page search_concerns(const concern_filter& f,
                                         const std::function<bool(const concern&)>& keep,
                                         std::size_t offset, std::size_t limit) = 0;
    /// Writes the fields officials change: status, session, route reason, answer, assignee,
    /// merged_into, agenda_group, updated_at, the topic, commune and answers they correct, and
    /// the follow-up of the answer.
    virtual void update_concern(const concern& c) = 0;
    /// Concerns per session id.
    virtual std::map<std::string, std::size_t> count_concerns_by_session() = 0;

    virtual std::vector<session_override> list_session_overrides() = 0;
    /// Inserts or replaces the override of its session.
    virtual void put_session_override(const session_override& o) = 0;

    /// The citizens with concerns scheduled to `session_id` who were not reminded of it yet.
    virtual std::vector<to_remind> citizens_to_remind(const std::string& session_id) = 0;
    /// Notes them reminded of `session_id` (each once: a later call for the same changes
    /// nothing), in the caller's transaction with the reminders queued.
    virtual void mark_reminded(const std::string& session_id,
                               const std::vector<std::int64_t>& contact_ids, time_point at) = 0;

    /// The sessions admins added, by id.
    virtual std::vector<added_session> list_added_sessions() = 0;
    /// Inserts; false (and no change) when the id is taken.
    virtual bool add_session(const added_session& s) = 0;

    virtual std::vector<agenda_name> list_agenda_names(const std::string& session_id) = 0;
    virtual void put_agenda_name(const agenda_name& n) = 0;

    /// Appends notifications (inbox_id 0) to the outbox; ids are assigned.
    virtual void append_outbox(std::vector<outbox_message>& messages) = 0;

    /// A citizen's data request: the contact's name and platform id are replaced, its concerns
    /// lose phone, location, media (the kept copies and the copies still to make with them)
    /// and collected answers (their text stays, anonymous), its
    /// conversations end, its inbound events and message texts are blanked, its pending (and
    /// held) outbox is dropped and its permissions are deleted. False when there is no such
    /// contact.
    virtual bool erase_contact(std::int64_t contact_id, time_point now) = 0;

    /// Messages to erased contacts that left the outbox (sent or failed) before `before` lose
    /// their platform address and text. They are the confirmation of a citizen's own erasure,
    /// queued after it so that it still reaches them (and a web chat page still shows it);
    /// afterwards nothing may point at the citizen. Returns how many were scrubbed.
    virtual std::size_t forget_erased_messages(time_point before) = 0;

    /// Contacts to anonymise after the retention period: not erased yet, silent since before
    /// `cutoff`, and every concern of theirs closed (answered, forwarded, withdrawn, merged)
    /// and unchanged since before `cutoff` (a contact with no concern at all qualifies too).
    virtual std::vector<std::int64_t> contacts_past_retention(time_point cutoff,
                                                              std::size_t limit) = 0;
    /// Of `media` (ids of photos kept by this gateway), those still referred to by a concern
    /// (erased ones have none), a conversation under way or an inbox event not yet processed.
    virtual std::vector<std::string> media_in_use(const std::vector<std::string>& media) = 0;

    // ----- hand-offs --------------------------------------------------------------------------

    /// Hand-offs by status ("open", "closed", or "" for both), the most recently active first,
    /// with the contact's name, the message count and the latest message.
    virtual std::vector<handoff> list_handoffs(const std::string& status, std::size_t limit) = 0;
    /// One hand-off with its whole exchange.
    virtual std::optional<handoff> find_handoff(std::int64_t id) = 0;
    /// Records that `by` opened it; true only for the first time (the citizen is told once).
    virtual bool mark_handoff_seen(std::int64_t id, const std::string& by, time_point at) = 0;
    /// Adds an official's reply to the exchange and queues `message` (to the citizen), both
    /// or neither; false when the hand-off is not open.
    virtual bool reply_to_handoff(std::int64_t id, const std::string& by, const std::string& text,
                                  outbox_message& message) = 0;
    /// Closes an open hand-off, recording who and (when it became one) the concern's
    /// reference; false when it was not open.
    virtual bool close_handoff(std::int64_t id, const std::string& by, const std::string& concern_ref,
                               time_point at) = 0;

    // ----- photos kept by the gateway (queued with their concern, see concern::copy_media) ---

    /// Up to `limit` pending copies due at `now`, oldest first. Each is leased: its next
    /// attempt moves to `lease_until`, so nobody else takes it meanwhile, and a copier that
    /// dies while fetching leaves it to be taken again then.
    virtual std::vector<media_copy> claim_media_copies(time_point now, time_point lease_until,
                                                       std::size_t limit) = 0;
    /// Stores the bytes of a pending copy and marks it kept, at `file.created_at`. False, and
    /// nothing stored, when it is no longer pending (its citizen's data was erased meanwhile,
    /// or it was kept already).
    virtual bool keep_media_copy(std::int64_t copy_id, const media_file& file) = 0;
    /// A failed try of a pending copy: `attempts` so far, tried again at `next_attempt_at`.
    virtual void retry_media_copy(std::int64_t copy_id, int attempts, time_point next_attempt_at,
                                  const std::string& reason, time_point at) = 0;
    /// Ends a pending copy as refused or failed, with the reason.
    virtual void end_media_copy(std::int64_t copy_id, media_copy_status status,
                                const std::string& reason, time_point at) = 0;
    /// The copies of one concern's photos, by index.
    virtual std::vector<media_copy> media_copies_of(std::int64_t concern_id) = 0;
    /// The bytes kept for a copy, when it is kept.
    virtual std::optional<media_file> find_media_file(std::int64_t copy_id) = 0;
    /// Shows (or hides) the photo at `index` of a concern on the public page; false when the
    /// concern has no kept copy at that index.
    virtual bool publish_media(std::int64_t concern_id, std::size_t index, bool published) = 0;
    /// The bytes of a copy the public page may show: kept, published, and of a concern whose
    /// answer is published.
    virtual std::optional<media_file> find_published_media(std::int64_t copy_id) = 0;
    /// Copies not yet kept, refused or failed.
    virtual std::size_t media_copies_pending() = 0;

    // ----- flows edited by admins ------------------------------------------------------------

    /// Inserts or replaces the draft of `d.flow_id` (its version and status are ignored).
    virtual void save_flow_draft(const flow_version& d) = 0;
    virtual std::optional<flow_version> find_flow_draft(const std::string& flow_id) = 0;
    /// The draft of every flow that has one, by flow id (a new flow is only a draft until
    /// its first publish).
    virtual std::vector<flow_version> list_flow_drafts() = 0;
    virtual void delete_flow_draft(const std::string& flow_id) = 0;
    /// Inserts a published version; false (and no change) when that id and version exist.
    virtual bool add_flow_version(const flow_version& v) = 0;
    /// The published versions of one flow (every flow when `flow_id` is ""), by id then version.
    virtual std::vector<flow_version> list_flow_versions(const std::string& flow_id) = 0;
    /// The highest published version of a flow, 0 when there is none.
    virtual int max_flow_version(const std::string& flow_id) = 0;
    /// The counts of every node of one version that conversations reached.
    virtual std::vector<node_count> list_node_counts(const std::string& flow_id, int version) = 0;

    /// The secret kept under `name`, storing `fresh` first when there is none yet: for keys
    /// the gateway makes itself at its first start, which every later start (and every
    /// gateway sharing the database) must use too.
    virtual std::string keep_secret(const std::string& name, const std::string& fresh) = 0;

    /// A cheap query that fails when the database is unusable (for /readyz).
    virtual bool healthy() = 0;
};

}  // namespace dgw::store
