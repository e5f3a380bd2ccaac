// The sessions as an iCalendar feed: what RFC 5545 asks of the text (CRLF lines folded at 75
// octets without cutting a character, TEXT escaping) and what a subscribed calendar needs to
// follow a session (a stable UID, SEQUENCE growing with each change, a cancelled one kept).

#include <dgw/api/calendar.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace dgw::api {
namespace {

namespace chr = std::chrono;

// The content lines of `ics` once unfolded (a CRLF followed by a space joins two lines).
std::vector<std::string> unfolded(const std::string& ics) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < ics.size()) {
        auto end = ics.find("\r\n", at);
        if (end == std::string::npos) end = ics.size();
        std::string line = ics.substr(at, end - at);
        if (!line.empty() && line[0] == ' ' && !out.empty())
            out.back() += line.substr(1);
        else
            out.push_back(line);
        at = end + 2;
    }
    return out;
}

// The lines of the VEVENT whose UID starts with `id` + "@"; none when there is no such event.
std::vector<std::string> event_of(const std::string& ics, const std::string& id) {
    std::vector<std::string> current;
    for (const auto& l : unfolded(ics)) {
        if (l == "BEGIN:VEVENT") current.clear();
        current.push_back(l);
        if (l != "END:VEVENT") continue;
        for (const auto& x : current)
            if (x.starts_with("UID:" + id + "@")) return current;
    }
    return {};
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// The lines of `wanted` that `lines` lacks: none when every one is there.
std::vector<std::string> missing(const std::vector<std::string>& lines,
                                 std::initializer_list<std::string> wanted) {
    std::vector<std::string> out;
    for (const auto& w : wanted)
        if (!has(lines, w)) out.push_back(w);
    return out;
}

// Is `s` well-formed UTF-8 (no character cut at either end)?
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

dialogue::session commune_session() {
    dialogue::session s;
    s.id = "commune-02683-2027-03";
    s.level = "commune";
    s.locality = "02683";
    s.month = chr::year{2027} / chr::March;
    s.venue = "Hội trường UBND Xã Bát Xát";
    s.title_vi = "Đối thoại trực tiếp với Nhân dân Xã Bát Xát";
    s.status = dialogue::session_status::planned;
    return s;
}

chr::system_clock::time_point at_utc(int y, unsigned m, unsigned d, int h, int min, int sec) {
    return chr::sys_days{chr::year{y} / chr::month{m} / chr::day{d}} + chr::hours{h} + chr::minutes{min} + chr::seconds{sec};
}

TEST(Ical, TextIsEscapedAsRfc5545Says) {
    EXPECT_EQ(ical_escape("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
    EXPECT_EQ(ical_escape("dòng 1\r\ndòng 2\rdòng 3"), "dòng 1\\ndòng 2\\ndòng 3");
    EXPECT_EQ(ical_escape(std::string("a\x01" "b\x7f" "c\td")), "abc\td") << "CTLs dropped, TAB kept";
    EXPECT_EQ(ical_escape("Thôn Cốc San: đường"), "Thôn Cốc San: đường") << "colons stay";
}

TEST(Ical, LongLinesAreFoldedAt75OctetsWithoutCuttingACharacter) {
    // Vietnamese letters take 2 or 3 octets: at every offset some fold would land inside one.
    for (std::size_t pad = 0; pad < 4; ++pad) {
        std::string value = std::string(pad, 'x');
        for (int i = 0; i < 20; ++i) value += "Đường vào thôn Tả Phìn bị sạt lở; ";
        const std::string line = "DESCRIPTION:" + value;
        const std::string folded = ical_line(line);
        ASSERT_TRUE(folded.ends_with("\r\n"));
        std::size_t at = 0, pieces = 0;
        std::string joined;
        while (at < folded.size()) {
            const auto end = folded.find("\r\n", at);
            ASSERT_NE(end, std::string::npos);
            const std::string piece = folded.substr(at, end - at);
            EXPECT_LE(piece.size(), 75u) << "piece " << pieces;
            if (pieces > 0) {
                ASSERT_EQ(piece[0], ' ') << "a continuation starts with a space";
            }
            const std::string content = pieces > 0 ? piece.substr(1) : piece;
            EXPECT_TRUE(valid_utf8(content)) << "piece " << pieces << " cuts a character";
            joined += content;
            ++pieces;
            at = end + 2;
        }
        EXPECT_GT(pieces, 10u);
        EXPECT_EQ(joined, line) << "unfolding gives the line back";
        EXPECT_EQ(folded.find('\n'), folded.find("\r\n") + 1) << "no bare LF";
    }
    EXPECT_EQ(ical_line("VERSION:2.0"), "VERSION:2.0\r\n");
    EXPECT_EQ(ical_line(std::string(75, 'a')), std::string(75, 'a') + "\r\n") << "75 fits";
    EXPECT_EQ(ical_line(std::string(76, 'a')), std::string(75, 'a') + "\r\n a\r\n");
}

TEST(Ical, AFeedHasTheZoneAndOneEventPerSessionWithCrlfLines) {
    calendar_feed feed;
    feed.name = "Lịch đối thoại với Nhân dân · Xã Bát Xát";
    feed.uid_domain = "15.dialogue-gateway";
    auto dated = commune_session();
    dated.id = "province-15-2026-04";
    dated.date = chr::year{2026} / chr::April / 16;
    dated.status = dialogue::session_status::fixed;
    dated.venue = "Trường Cao đẳng Lào Cai, phòng 2; tầng 3";
    feed.entries.push_back({commune_session(), 0, std::nullopt, ""});
    feed.entries.push_back({dated, 0, std::nullopt, "Sinh viên, giảng viên"});
    const auto ics = sessions_ical(feed, at_utc(2026, 12, 7, 15, 50, 32));

    // Every line ends with CRLF; none is longer than 75 octets.
    std::size_t at = 0;
    while (at < ics.size()) {
        const auto end = ics.find("\r\n", at);
        ASSERT_NE(end, std::string::npos);
        EXPECT_EQ(ics.substr(at, end - at).find('\n'), std::string::npos) << "bare LF";
        EXPECT_LE(end - at, 75u);
        at = end + 2;
    }
    const auto lines = unfolded(ics);
    ASSERT_GE(lines.size(), 20u);
    EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
    EXPECT_EQ(lines.back(), "END:VCALENDAR");
    EXPECT_EQ(missing(lines, {
                  "VERSION:2.0",
                  "X-WR-CALNAME:Lịch đối thoại với Nhân dân · Xã Bát Xát",
                  "TZID:Asia/Ho_Chi_Minh",
                  "TZOFFSETTO:+0700"}),
              std::vector<std::string>{});
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 2);

    // Known only by its month: the whole of March, tentative, blocking no day.
    const auto march = event_of(ics, "commune-02683-2027-03");
    ASSERT_FALSE(march.empty());
    EXPECT_EQ(missing(march, {
                  "UID:commune-02683-2027-03@15.dialogue-gateway",
                  "DTSTAMP:20261207T155032Z",
                  "DTSTART;VALUE=DATE:20270301",
                  "DTEND;VALUE=DATE:20270401",
                  "SEQUENCE:0",
                  "STATUS:TENTATIVE",
                  "TRANSP:TRANSPARENT",
                  "SUMMARY;LANGUAGE=vi:Đối thoại trực tiếp với Nhân dân Xã Bát Xát (ngày sẽ báo sau)",
                  "LOCATION;LANGUAGE=vi:Hội trường UBND Xã Bát Xát"}),
              std::vector<std::string>{});

    // A dated one: that day, confirmed; the venue's comma and semicolon escaped.
    const auto april = event_of(ics, "province-15-2026-04");
    ASSERT_FALSE(april.empty());
    EXPECT_EQ(missing(april, {
                  "DTSTART;VALUE=DATE:20260416",
                  "DTEND;VALUE=DATE:20260417",
                  "STATUS:CONFIRMED",
                  "TRANSP:OPAQUE",
                  "LOCATION;LANGUAGE=vi:Trường Cao đẳng Lào Cai\\, phòng 2\\; tầng 3",
                  "DESCRIPTION;LANGUAGE=vi:Buổi đối thoại ngày 16/4/2026.\\nDành cho: Sinh viên\\, giảng viên."}),
              std::vector<std::string>{});
}

TEST(Ical, AnEditedSessionKeepsItsUidWithAGrownSequenceAndACancelledOneStays) {
    auto moved = commune_session();
    moved.status = dialogue::session_status::postponed;
    moved.date = chr::year{2027} / chr::April / 2;
    moved.note = "Trùng lịch bầu cử";
    auto off = commune_session();
    off.id = "commune-02683-2027-06";
    off.month = chr::year{2027} / chr::June;
    off.status = dialogue::session_status::cancelled;
    auto waiting = commune_session();
    waiting.id = "commune-02683-2027-09";
    waiting.month = chr::year{2027} / chr::September;
    waiting.status = dialogue::session_status::postponed;
    const auto changed = at_utc(2026, 12, 1, 2, 3, 4);
    calendar_feed feed{"Lịch", "15.dialogue-gateway",
                       {{moved, 2, changed, ""}, {off, 1, changed, ""}, {waiting, 1, changed, ""}}};
    const auto ics = sessions_ical(feed, at_utc(2026, 12, 7, 0, 0, 0));

    const auto a = event_of(ics, "commune-02683-2027-03");
    EXPECT_TRUE(has(a, "UID:commune-02683-2027-03@15.dialogue-gateway")) << "the slot's id stays";
    EXPECT_EQ(missing(a, {
                  "SEQUENCE:2",
                  "LAST-MODIFIED:20261201T020304Z",
                  "DTSTART;VALUE=DATE:20270402",
                  "STATUS:CONFIRMED",
                  "DESCRIPTION;LANGUAGE=vi:Buổi đối thoại ngày 2/4/2027.\\nGhi chú: Trùng lịch bầu cử"}),
              std::vector<std::string>{});

    const auto b = event_of(ics, "commune-02683-2027-06");
    EXPECT_EQ(missing(b, {
                  "STATUS:CANCELLED",
                  "SEQUENCE:1",
                  "SUMMARY;LANGUAGE=vi:Đã huỷ: Đối thoại trực tiếp với Nhân dân Xã Bát Xát"}),
              std::vector<std::string>{});

    const auto c = event_of(ics, "commune-02683-2027-09");
    EXPECT_TRUE(has(c, "STATUS:TENTATIVE")) << "postponed with no new day yet";
    EXPECT_TRUE(has(c, "SUMMARY;LANGUAGE=vi:Tạm hoãn: Đối thoại trực tiếp với Nhân dân Xã Bát Xát"));
}

TEST(Ical, TheRevisionCountsChangesOfDayPlaceOrStateOnly) {
    auto line = [](std::string action, std::string before, std::string after) {
        store::audit_entry e;
        e.action = std::move(action);
        e.before = std::move(before);
        e.after = std::move(after);
        return e;
    };
    const std::string none = R"({"status":"","date":"","venue":"","note":""})";
    EXPECT_EQ(session_revision({}), 0);
    EXPECT_EQ(session_revision({line("session.update", none, R"({"status":"","date":"","venue":"","note":"x"})"),
                                line("session.note", "", R"({"text":"hi"})")}),
              0)
        << "a note or a message to citizens moves nothing";
    EXPECT_EQ(session_revision({line("session.update", none, R"({"status":"","date":"2027-03-20","venue":"","note":""})"),
                                line("session.update", R"({"status":"","date":"2027-03-20","venue":"","note":""})",
                                     R"({"status":"postponed","date":"2027-04-02","venue":"Nhà văn hoá","note":"mưa"})"),
                                line("session.update", R"({"status":"postponed"})", R"({"status":"cancelled"})"),
                                line("session.create", "", R"({"date":"2027-01-01"})")}),
              3);
}

}  // namespace
}  // namespace dgw::api
