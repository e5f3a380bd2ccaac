#pragma once
/// The rows the store keeps and returns (DESIGN.md "Shape"), shared by every role of the store
/// (store.hpp) and every backend. Infrastructure faults throw `unavailable`.

#include <dgw/core/concern_status.hpp>
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
    /// Read by find_contact and upsert_contact(s); ensure_contact leaves them empty.
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
    core::concern_status status = core::concern_status::received;
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
    std::optional<core::concern_status> status;  ///< any when empty
    std::optional<bool> urgent;
    std::optional<std::int64_t> contact_id;
    /// Filed at or after / at or before.
    std::optional<time_point> created_from, created_to;
    /// Any of these references / topics; empty: any.
    std::vector<std::string> refs, topics;
    /// Whether the page's `total` counts every match. False stops reading at the page's end
    /// (`total` is then what was read): a public query needs no count, and must not make the
    /// database read every concern.
    bool count_all = true;
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

/// What store::claim_token_refresh found.
struct token_refresh {
    enum class kind { claimed, replaced, busy };
    kind outcome = kind::claimed;
    std::optional<channel_token> current;  ///< replaced: the stored pair
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
    time_point at{};  ///< when the step ran (the worker's clock): the two above, processed_at
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

/// What the login throttle (api/access.hpp) remembers about one user name tried from one client
/// address. Kept in the store, so that every gateway sharing a database slows down the same
/// attempts: an attacker cannot multiply the allowance by the number of gateways.
struct login_memory {
    std::size_t failures = 0;  ///< the (user, address)'s counted failures
    time_point until{};        ///< when the delay after the last of them ends (or it happened)
    std::vector<time_point> address_failures;  ///< the address's, any user, oldest first
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

// ----- events for other systems ------------------------------------------------------------------

/// A session the store changed: an edit (`edit`: postponed, cancelled, moved...), one added
/// (`added`), or, with neither, the added session `session_id` deleted.
struct session_change {
    std::string session_id;
    const session_override* edit = nullptr;
    const added_session* added = nullptr;
    time_point at;
};

/// What other systems are told of the store's changes (issue 22 item 3). The store hands each
/// change to its sink (store::set_event_sink) inside the transaction that makes it and
/// appends the outbox rows the sink returns in that same transaction: an event is queued
/// exactly when its change commits, whichever way the change came (the chat, the API, Open311,
/// a session edit that re-routes concerns). The sink decides which systems want which event
/// and what it may carry (domain::event_hooks); it does no I/O and never calls the store.
class event_sink {
public:
    virtual ~event_sink() = default;
    /// A concern just filed (its id may not be assigned yet).
    virtual std::vector<outbox_message> filed(const concern& c) const = 0;
    /// A concern officials changed (update_concern), from `before` to `after`.
    virtual std::vector<outbox_message> changed(const concern& before, const concern& after) const = 0;
    virtual std::vector<outbox_message> session_changed(const session_change& s) const = 0;
};

}  // namespace dgw::store
