#pragma once
// The store's contract: one suite of tests (store_contract.cpp), run against every backend —
// SQLite in memory and in a file (store_test.cpp), PostgreSQL (postgres_store_test.cpp). Each
// binary instantiates StoreContract with its backends; the helpers here are the suite's.

#include "support/test_cert.hpp"

#include <dgw/store/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dgw::store::contract {

using namespace std::chrono_literals;

inline const time_point t0 = time_point(std::chrono::milliseconds(1'790'000'000'000));

inline core::inbound_event text_event(std::string key, std::string user, std::string text) {
    core::inbound_event e;
    e.dedup_key = std::move(key);
    e.user_id = std::move(user);
    e.kind = core::inbound_kind::text;
    e.text = std::move(text);
    return e;
}

// What the sender does with sendable_outbox: the payload is parsed on its side.
inline std::vector<outbox_message> parsed(std::vector<outbox_message> ms) {
    for (auto& m : ms) parse_payload(m);
    return ms;
}

// Replies waiting for one contact (channel "telegram"), due at t0, committed in this order;
// their outbox ids.
inline std::vector<std::int64_t> queue_replies(store& db, const contact& to,
                                               const std::vector<std::string>& texts) {
    step_write w;
    for (const auto& text : texts) {
        outbox_message m;
        m.channel = to.channel;
        m.user_id = to.user_id;
        m.contact_id = to.id;
        m.payload = {{"text", text}};
        m.next_attempt_at = m.created_at = t0;
        w.outbox.push_back(std::move(m));
    }
    std::vector<step_write> steps{w};
    db.commit_steps(steps);
    std::vector<std::int64_t> ids;
    for (const auto& m : steps[0].outbox) ids.push_back(m.id);
    return ids;
}

struct backend {
    std::string name;
    std::function<std::unique_ptr<store>(const std::filesystem::path&)> open;
};

inline void PrintTo(const backend& b, std::ostream* os) { *os << b.name; }

class StoreContract : public ::testing::TestWithParam<backend> {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-store");
        db_ = GetParam().open(dir_);
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    std::filesystem::path dir_;
    std::unique_ptr<store> db_;
};

inline concern filed(std::int64_t contact, std::string ref, std::string commune, std::string text) {
    concern c;
    c.ref = std::move(ref);
    c.contact_id = contact;
    c.channel = "telegram";
    c.conversation_key = c.ref;
    c.topic = "roads";
    c.commune_code = std::move(commune);
    c.text = std::move(text);
    c.status = core::concern_status::scheduled;
    c.session_id = "commune-" + c.commune_code + "-2026-12";
    c.created_at = c.updated_at = t0;
    return c;
}

// A concern filed with photos to copy: its copies are queued in the same transaction.
inline concern with_photos(std::int64_t contact, std::string ref, std::vector<std::string> media) {
    auto c = filed(contact, std::move(ref), "02683", "Cống thoát nước vỡ");
    c.media = media;
    c.copy_media = true;
    return c;
}

inline media_file jpeg_file(std::string bytes, time_point at) {
    return {"image/jpeg", std::move(bytes), std::string(64, '0'), at};
}

inline outbox_message notice_row(const contact& c, const std::string& text, const std::string& session) {
    outbox_message m;
    m.channel = c.channel;
    m.user_id = c.user_id;
    m.contact_id = c.id;
    m.kind = "notice";
    m.payload = {{"text", text}, {"notice", {{"purpose", "answer"}, {"refs", {"LC-1"}}}}};
    m.notice_id = "answer:LC-1:1";
    m.session_id = session;
    m.next_attempt_at = m.created_at = t0;
    return m;
}

}  // namespace dgw::store::contract
