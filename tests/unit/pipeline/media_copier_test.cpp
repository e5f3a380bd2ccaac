// The media copier over a real SQLite store and its database thread, with the platform's
// answers given by the test: what it keeps and refuses, and how long it keeps trying.

#include <dgw/pipeline/media_copier.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>

namespace dgw::pipeline {
namespace {

using namespace std::chrono_literals;
using outcome = fetched_media::outcome;

const store::time_point t0 = store::time_point(std::chrono::milliseconds(1'790'000'000'000));

TEST(KeptMediaType, IsReadFromTheFirstBytesOfTheImagesAPhotoMayBe) {
    EXPECT_EQ(kept_media_type("\xFF\xD8\xFF\xE0rest"), "image/jpeg");
    EXPECT_EQ(kept_media_type(std::string_view("\x89PNG\r\n\x1A\n...", 11)), "image/png");
    EXPECT_EQ(kept_media_type(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
    EXPECT_EQ(kept_media_type("GIF89a...."), "image/gif");
    EXPECT_EQ(kept_media_type("GIF87a...."), "image/gif");
}

TEST(KeptMediaType, APdfAnSvgAPageOrNothingIsNoPhoto) {
    EXPECT_EQ(kept_media_type("%PDF-1.7\n"), std::nullopt);
    EXPECT_EQ(kept_media_type("<svg xmlns=\"http://www.w3.org/2000/svg\">"), std::nullopt);
    EXPECT_EQ(kept_media_type("<html>expired</html>"), std::nullopt);
    EXPECT_EQ(kept_media_type(""), std::nullopt);
    EXPECT_EQ(kept_media_type("GIF8"), std::nullopt);
}

// What the platform answers, one entry per fetch (the last one repeats).
struct platform {
    std::mutex mu;
    std::deque<fetched_media> answers;
    std::size_t fetches = 0;
    media_copier* copier = nullptr;
    std::size_t stop_after = 0;
    std::function<void()> on_stopped;

    fetched_media next() {
        std::lock_guard lock(mu);
        ++fetches;
        auto a = answers.front();
        if (answers.size() > 1) answers.pop_front();
        if (fetches == stop_after) copier->stop(on_stopped);
        return a;
    }
};

net::awaitable<fetched_media> answer(platform* p) { co_return p->next(); }

class MediaCopier : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = store::open_sqlite({":memory:"});
        auto ct = db_->upsert_contact("telegram", "42", "", "vi", t0);
        std::vector<store::step_write> steps(1);
        store::concern c;
        c.ref = "LC-COPY";
        c.contact_id = ct.id;
        c.channel = "telegram";
        c.media = {"file-1"};
        c.copy_media = true;
        c.created_at = c.updated_at = t0;
        steps[0].concerns.push_back(c);
        db_->commit_steps(steps);
        concern_ = steps[0].concerns[0].id;
    }

    /// Runs the copier until it stopped itself after `fetches` answers; then the store is
    /// the test's again.
    void run(std::size_t fetches, media_copier_options o) {
        net::io_context ioc;
        database db(*db_, metrics_);
        // Each look at the clock is an hour later: every retry is due at the next round.
        auto now = std::make_shared<std::atomic<std::int64_t>>(0);
        o.clock = [now] { return t0 + std::chrono::hours(now->fetch_add(1)); };
        o.idle_poll = 1ms;
        auto* p = &platform_;
        media_copier copier(ioc.get_executor(), db, [p](std::string, std::string) { return answer(p); },
                            o, metrics_, log_);
        platform_.copier = &copier;
        platform_.stop_after = fetches;
        platform_.on_stopped = [&ioc] { ioc.stop(); };
        // The database thread resumes the copier through the io_context: it must not run out
        // of work while a piece is on that thread.
        auto guard = net::make_work_guard(ioc);
        copier.start();
        ioc.run_for(20s);
        EXPECT_TRUE(ioc.stopped()) << "the copier did not stop after " << fetches << " fetches";
        db.stop();
    }

    store::media_copy copy() { return db_->media_copies_of(concern_).at(0); }

    std::unique_ptr<store::store> db_;
    std::int64_t concern_ = 0;
    core::metrics metrics_;
    core::null_logger log_;
    platform platform_;
};

TEST_F(MediaCopier, APhotoTheBotApiGivesIsKeptWithItsTypeAndHash) {
    platform_.answers = {{outcome::ok, "\xFF\xD8\xFF\xE0 a photo"}};
    run(1, {});
    EXPECT_EQ(copy().status, store::media_copy_status::kept);
    auto file = db_->find_media_file(copy().id);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->bytes, "\xFF\xD8\xFF\xE0 a photo");
    EXPECT_EQ(file->content_type, "image/jpeg");
    EXPECT_EQ(file->sha256.size(), 64u);
    EXPECT_EQ(metrics_.value("dgw_media_copies_total", {{"channel", "telegram"}, {"result", "kept"}}), 1.0);
}

TEST_F(MediaCopier, APlatformThatKeepsFailingIsTriedMaxAttemptsTimesThenTheCopyFails) {
    platform_.answers = {{outcome::unavailable, ""}};
    media_copier_options o;
    o.max_attempts = 3;
    run(3, o);
    EXPECT_EQ(platform_.fetches, 3u);
    EXPECT_EQ(copy().status, store::media_copy_status::failed);
    EXPECT_EQ(copy().reason, "the platform did not answer (3 tries)");
    EXPECT_EQ(metrics_.value("dgw_media_copies_total", {{"channel", "telegram"}, {"result", "retry"}}), 2.0);
    EXPECT_EQ(metrics_.value("dgw_media_copies_total", {{"channel", "telegram"}, {"result", "failed"}}), 1.0);
}

TEST_F(MediaCopier, AFailedTryIsFollowedByALaterOneThatKeepsThePhoto) {
    platform_.answers = {{outcome::unavailable, ""}, {outcome::gone, ""}, {outcome::ok, "GIF89a..."}};
    run(3, {});
    EXPECT_EQ(copy().status, store::media_copy_status::kept);
    EXPECT_EQ(db_->find_media_file(copy().id)->content_type, "image/gif");
}

TEST_F(MediaCopier, BytesOverMaxBytesAreRefusedEvenWhenThePlatformSentThem) {
    platform_.answers = {{outcome::ok, "\xFF\xD8\xFF" + std::string(100, 'x')}};
    media_copier_options o;
    o.max_bytes = 50;
    run(1, o);
    EXPECT_EQ(copy().status, store::media_copy_status::refused);
    EXPECT_EQ(copy().reason, "larger than media.max_bytes (50 bytes)");
    EXPECT_FALSE(db_->find_media_file(copy().id));
}

TEST_F(MediaCopier, ALinkTheFetchPolicyRefusesIsRefusedAtOnce) {
    platform_.answers = {{outcome::refused, ""}};
    run(1, {});
    EXPECT_EQ(copy().status, store::media_copy_status::refused);
    EXPECT_EQ(platform_.fetches, 1u) << "never tried again";
}

}  // namespace
}  // namespace dgw::pipeline
