#include "dgw/dialogue/resolver.hpp"

#include <dgw/core/text.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

const locality_resolver& resolver() {
    static const locality_resolver r(test::shipped());
    return r;
}

bool contains(const core::locality_lookup::result& r, std::string_view code) {
    return std::any_of(r.candidates.begin(), r.candidates.end(),
                       [&](const core::locality_candidate& c) { return c.code == code; });
}

std::string describe(const core::locality_lookup::result& r) {
    std::string s = r.unique ? "unique" : "not unique";
    for (const auto& c : r.candidates)
        s += "\n  " + c.code + " " + c.name + " " + std::to_string(c.confidence) + " " + c.why;
    return s;
}

struct resolve_case {
    const char* text;
    const char* first;  // expected best candidate ("" when nothing should match)
    bool unique;
    std::vector<const char*> also;  // must also be offered
};

// Expectations written from ../shared/data (the reference TSVs), not from the resolver's output.
const std::vector<resolve_case> cases = {
    // current names, any spelling
    {"Xã Bát Xát", "02683", true, {}},
    {"bat xat", "02683", true, {}},
    {"xa bat xat", "02683", true, {}},
    {"BÁT XÁT", "02683", true, {}},
    {"Xã Bát Xát ạ", "02683", true, {}},
    {"Ba\xcc\x81t Xa\xcc\x81t", "02683", true, {}},  // NFD, as some keyboards send it
    {"Bát Xát, tỉnh Lào Cai", "02683", true, {}},    // "tỉnh" names the province
    {"Sa Pa", "03006", true, {}},
    {"sapa", "03006", true, {}},
    {"Phường Sa Pa", "03006", true, {}},
    {"p. Sa Pa", "03006", true, {}},
    {"Bảo Thắng", "02905", true, {}},
    {"Y Tý", "02701", true, {}},
    {"y ty", "02701", true, {}},
    {"Mù Cang Chải", "04456", true, {}},
    {"Lục Yên", "04303", true, {}},
    {"Văn Bàn", "03082", true, {}},
    {"Muong Khuong", "02761", true, {}},
    {"Bắc Hà", "02839", true, {}},
    {"bac ha", "02839", true, {}},
    {"Si Ma Cai", "02809", true, {}},
    {"simacai", "02809", true, {}},
    {"Lào Cai", "02647", true, {}},
    {"Phuong Lao Cai", "02647", true, {}},
    {"Yên Bái", "04252", true, {}},
    {"phuong yen bai", "04252", true, {}},
    {"Cam Đường", "02671", true, {}},
    {"Tả Van", "03037", true, {}},
    {"ta van", "03037", true, {}},
    {"Trịnh Tường", "02695", true, {}},
    {"trinh tuong", "02695", true, {}},
    {"Nghĩa Đô", "02953", true, {}},
    {"Mường Hum", "02728", true, {}},
    {"Bản Lầu", "02788", true, {}},
    {"ban lau", "02788", true, {}},
    {"Xuan Hoa", "02962", true, {}},
    {"Sín Chéng", "02824", true, {}},
    {"Púng Luông", "04492", true, {}},
    {"pung luong", "04492", true, {}},
    {"Âu Lâu", "04543", true, {}},
    {"Thác Bà", "04717", true, {}},
    {"Bảo Ái", "04750", true, {}},
    {"Xuân Quang", "02926", true, {}},
    {"02683", "02683", true, {}},
    // former communes and wards
    {"Phong Niên", "02926", true, {}},
    {"xã Phong Niên", "02926", true, {}},
    {"phong nien", "02926", true, {}},
    {"tôi ở xã Phong Niên huyện Bảo Thắng", "02926", true, {}},
    {"Sa Pả", "03006", true, {}},
    {"A Lù", "02701", true, {}},
    {"Cốc Lếu", "02647", true, {}},
    {"coc leu", "02647", true, {}},
    {"Kim Tân", "02647", true, {}},
    {"Duyên Hải", "02647", true, {}},
    {"Bắc Cường", "02671", true, {}},
    {"Pom Hán", "02671", true, {}},
    {"Phố Lu", "02905", true, {}},
    {"tt Phố Lu", "02905", true, {}},
    {"thị trấn phố lu", "02905", true, {}},
    {"Phố Ràng", "02947", true, {}},
    {"thị trấn Trạm Tấu", "04585", true, {}},
    {"tt Khánh Yên", "03082", true, {}},
    {"Ô Quý Hồ", "03006", true, {}},
    {"o quy ho", "03006", true, {}},
    {"Hàm Rồng", "03006", true, {}},
    {"Dền Thàng", "02707", true, {}},
    {"Nậm Pung", "02728", true, {}},
    {"Tung Chung Phố", "02761", true, {}},
    {"Quan Hồ Thẩn", "02809", true, {}},
    {"quan ho than", "02809", true, {}},
    {"Thải Giàng Phố", "02839", true, {}},
    {"Liêm Phú", "03103", true, {}},
    {"Hòa Mạc", "03082", true, {}},
    {"Hoà Mạc", "03082", true, {}},  // old-style tone placement
    {"Cảm Ân", "04750", true, {}},
    {"Cao Phạ", "04630", true, {}},
    {"La Pán Tẩn", "04492", false, {"02782"}},  // La Pan Tẩn (Mường Khương) differs by one mark
    {"Hợp Minh", "04543", true, {}},
    {"Tân Dương", "02962", true, {}},
    {"Gia Phú", "02923", true, {}},
    {"Vạn Hòa", "02647", true, {}},
    {"Bản Phiệt", "02647", true, {}},
    {"Xuân Tăng", "02671", true, {}},
    {"Pú Trạng", "04288", true, {}},
    {"Hạnh Sơn", "04681", true, {}},
    {"Tuy Lộc", "04273", true, {}},
    {"Minh Bảo", "04273", true, {}},
    {"xa Ban Vuoc", "02683", true, {}},
    {"Quang Kim", "02683", true, {}},
    {"phường Nam Cường, thành phố Yên Bái", "04273", true, {}},
    {"xã Thanh Bình, huyện Mường Khương", "02761", true, {}},
    // former districts: offer every commune that took part of them
    {"huyện Bảo Thắng", "", false, {"02905", "02926", "02902", "02908", "02923", "02647"}},
    {"huyen bao thang", "", false, {"02905", "02926", "02902", "02908", "02923", "02647"}},
    {"huyện Bát Xát", "", false, {"02683", "02701", "02695", "02728"}},
    {"h. Bát Xát", "", false, {"02683", "02728"}},
    {"thị xã Sa Pa", "", false, {"03006", "03013", "03037", "03043", "03046", "03004"}},
    {"tx sapa", "", false, {"03046", "03013"}},
    {"thị xã Nghĩa Lộ", "", false, {"04288", "04660", "04663", "04681"}},
    {"huyện Mù Căng Chải", "", false, {"04456", "04465", "04474"}},
    {"thành phố Lào Cai", "", false, {"02647", "02671", "02680", "02746", "02923"}},
    {"tp Yên Bái", "", false, {"04252", "04273"}},
    // ambiguous: a current name that is also another unit's former name
    {"Nam Cường", "04273", false, {"02671"}},
    {"Khánh Yên", "03103", false, {"03082"}},
    {"Trạm Tấu", "04606", false, {"04585"}},
    {"Nghĩa Lộ", "04288", false, {"04663"}},
    {"Thanh Bình", "", false, {"02761", "03046"}},
    {"Minh Tân", "", false, {"04252", "02968"}},
    // typos
    {"Bat Sat", "02683", true, {}},
    {"Bát Xác", "02683", true, {}},
    {"Mường Khươg", "02761", true, {}},
    {"Trinh Tương", "02695", true, {}},
    {"Nghĩa Đo", "02953", true, {}},
    {"Phong Nien Bao Thang", "02926", true, {}},
    {"Phong Nhiên", "02926", true, {}},
    {"Muong Humm", "02728", true, {}},
    {"Quan Ho Thau", "02809", true, {}},
    {"Bảo Thằng", "02905", true, {}},  // wrong tone mark
    {"Mu Cang Chai", "04456", true, {}},
    {"Mù Căng Chải", "04456", true, {}},
    {"Cam Duong", "02671", true, {}},
    {"Văn Bàng", "03082", true, {}},
    // nothing to find
    {"", "", false, {}},
    {"xin chào", "", false, {}},
    {"12345", "", false, {}},
    {"🙂🙂", "", false, {}},
};

TEST(LocalityResolver, HandwrittenTable) {
    std::size_t n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        ++n;
        const auto r = resolver().resolve(c.text);
        if (std::string_view(c.first).empty() && c.also.empty()) {
            EXPECT_TRUE(r.candidates.empty()) << describe(r);
            EXPECT_FALSE(r.unique);
            continue;
        }
        if (!std::string_view(c.first).empty()) {
            ASSERT_FALSE(r.candidates.empty()) << describe(r);
            EXPECT_EQ(r.candidates.front().code, c.first) << describe(r);
        }
        EXPECT_EQ(r.unique, c.unique) << describe(r);
        for (const char* code : c.also) {
            EXPECT_TRUE(contains(r, code)) << code << describe(r);
        }
        if (!c.unique) {
            EXPECT_GE(r.candidates.size(), 2u) << describe(r);
        }
        EXPECT_LE(r.candidates.size(), locality_resolver::max_candidates);
    }
    EXPECT_GE(n, 120u);
}

// Every current unit, typed without diacritics and without its prefix, or with an abbreviated
// prefix, is offered first (possibly tied with another unit that had the same former name).
TEST(LocalityResolver, EveryCurrentNameUnaccentedAndAbbreviated) {
    for (const auto& u : test::shipped().units) {
        const std::string folded = core::fold(u.name);
        const std::string bare = folded.substr(folded.find(' ') + 1);
        const std::string abbreviated = (u.type == "ward" ? "p. " : "x. ") + bare;
        for (const std::string& text : {bare, abbreviated}) {
            SCOPED_TRACE(text);
            const auto r = resolver().resolve(text);
            ASSERT_FALSE(r.candidates.empty());
            const double top = r.candidates.front().confidence;
            auto it = std::find_if(r.candidates.begin(), r.candidates.end(),
                                   [&](const auto& c) { return c.code == u.code; });
            ASSERT_NE(it, r.candidates.end()) << describe(r);
            EXPECT_DOUBLE_EQ(it->confidence, top) << describe(r);
        }
    }
}

// Every former commune or ward whose folded name no other unit (current or former) shares
// resolves uniquely to the unit that took it.
TEST(LocalityResolver, EveryUnambiguousFormerName) {
    std::map<std::string, std::set<std::string>> owners;
    auto bare = [](const std::string& name) {
        std::string f = core::fold(name);
        for (std::string_view p : {"thi tran ", "xa ", "phuong "})
            if (f.rfind(p, 0) == 0) return f.substr(p.size());
        return f;
    };
    for (const auto& u : test::shipped().units) {
        owners[bare(u.name)].insert(u.code);
        for (const auto& f : u.former) owners[bare(f.name)].insert(u.code);
    }
    std::size_t checked = 0;
    for (const auto& u : test::shipped().units) {
        for (const auto& f : u.former) {
            if (owners[bare(f.name)].size() != 1) continue;
            SCOPED_TRACE(f.name);
            const auto r = resolver().resolve(f.name);
            ASSERT_FALSE(r.candidates.empty());
            EXPECT_EQ(r.candidates.front().code, u.code) << describe(r);
            ++checked;
        }
    }
    EXPECT_GT(checked, 250u);
}

TEST(LocalityResolver, LongMessagesAreReadFromTheStart) {
    std::string text = "xã Phong Niên";
    for (int i = 0; i < 2000; ++i) text += " đường xấu quá";
    const auto r = resolver().resolve(text);
    ASSERT_FALSE(r.candidates.empty());
    EXPECT_EQ(r.candidates.front().code, "02926");
    std::string late;
    for (int i = 0; i < 50; ++i) late += "đường xấu ";
    late += "xã Phong Niên";
    EXPECT_TRUE(resolver().resolve(late).candidates.empty()) << "past the first 40 words";
}

TEST(LocalityResolver, ByCode) {
    auto r = resolver().by_code("02683");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].name, "Xã Bát Xát");
    EXPECT_DOUBLE_EQ(r[0].confidence, 1.0);
    EXPECT_TRUE(resolver().by_code("99999").empty());
}

TEST(LocalityResolver, ExplainsWhy) {
    auto r = resolver().resolve("Phong Niên");
    ASSERT_FALSE(r.candidates.empty());
    EXPECT_EQ(r.candidates[0].why, "former Xã Phong Niên (Huyện Bảo Thắng)");
    auto d = resolver().resolve("huyện Bảo Thắng");
    ASSERT_FALSE(d.candidates.empty());
    EXPECT_TRUE(std::any_of(d.candidates.begin(), d.candidates.end(), [](const auto& c) {
        return c.why == "former Huyện Bảo Thắng";
    })) << describe(d);
}

TEST(LocalityResolver, IsUsableThroughTheCoreInterface) {
    const core::locality_lookup& lookup = resolver();
    EXPECT_TRUE(lookup.resolve("xa phong nien").unique);
}

}  // namespace
}  // namespace dgw::dialogue
