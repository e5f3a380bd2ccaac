#include "dgw/channels/registry.hpp"

#include <dgw/channels/line.hpp>
#include <dgw/channels/whatsapp.hpp>
#include <dgw/channels/zalo.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace dgw::channels {
namespace {

// A channel of `type` given each of its required keys and nothing else.
channel_settings minimal(const channel_type& type) {
    channel_settings s;
    s.id = type.name + "-1";
    s.type = type.name;
    s.api_base = type.api_base;
    for (const auto& key : type.required) s.values[key] = key + "-value";
    return s;
}

TEST(Registry, KnowsEveryPlatform) {
    std::set<std::string> names;
    for (const auto& t : channel_types()) names.insert(t.name);
    EXPECT_EQ(names, (std::set<std::string>{"telegram", "zalo", "messenger", "whatsapp", "viber",
                                            "line", "twilio", "webchat"}));
    EXPECT_EQ(names.size(), channel_types().size());
    EXPECT_EQ(find_channel_type("fax"), nullptr);
    ASSERT_NE(find_channel_type("zalo"), nullptr);
    EXPECT_EQ(find_channel_type("zalo")->name, "zalo");
}

TEST(Registry, EveryTypeBuildsItsAdapterFromItsRequiredKeys) {
    for (const auto& t : channel_types()) {
        SCOPED_TRACE(t.name);
        ASSERT_NE(t.make, nullptr);
        ASSERT_NE(t.media_hosts, nullptr);
        auto a = make_adapter(minimal(t));
        ASSERT_NE(a, nullptr);
        EXPECT_EQ(a->type(), t.name);
        EXPECT_EQ(t.make(minimal(t))->type(), t.name);
    }
}

TEST(Registry, AMissingRequiredKeyIsAnError) {
    for (const auto& t : channel_types()) {
        for (const auto& key : t.required) {
            SCOPED_TRACE(t.name + " without " + key);
            auto s = minimal(t);
            s.values.erase(key);
            // refresh_token feeds the sender's token keeper, not the adapter.
            if (key == "refresh_token")
                EXPECT_NE(t.make(s), nullptr);
            else
                EXPECT_THROW(t.make(s), std::out_of_range);
        }
    }
}

TEST(Registry, UnknownTypeBuildsNothing) {
    channel_settings s;
    s.type = "fax";
    EXPECT_EQ(make_adapter(s), nullptr);
}

TEST(Registry, DefaultsAreTheAdaptersOwn) {
    EXPECT_EQ(find_channel_type("telegram")->api_base, "https://api.telegram.org");
    EXPECT_EQ(find_channel_type("zalo")->api_base, zalo_settings{}.api_base);
    EXPECT_EQ(find_channel_type("messenger")->api_base, "https://graph.facebook.com/v21.0");
    EXPECT_EQ(find_channel_type("webchat")->api_base, "");  // it sends nowhere
    const auto& zalo_urls = find_channel_type("zalo")->urls;
    ASSERT_EQ(zalo_urls.size(), 3u);
    EXPECT_EQ(zalo_urls[0].key, "oauth_base");
    EXPECT_EQ(zalo_urls[0].fallback, "https://oauth.zaloapp.com");
    EXPECT_EQ(zalo_urls[1].key, "share_phone_image");
    EXPECT_EQ(zalo_urls[1].fallback, "");
    EXPECT_EQ(zalo_urls[2].key, "zns_base");
    EXPECT_EQ(find_channel_type("line")->urls.at(0).fallback, line_settings{}.data_base);
    EXPECT_EQ(find_channel_type("whatsapp")->urls.at(0).fallback, whatsapp_settings{}.media_base);
    for (const auto& t : channel_types())
        EXPECT_TRUE(std::is_sorted(
            t.urls.begin(), t.urls.end(),
            [](const url_setting& a, const url_setting& b) { return a.key < b.key; }))
            << t.name;
}

TEST(Registry, MediaHostsFollowTheConfiguredUrls) {
    EXPECT_EQ(default_media_hosts("whatsapp", "https://graph.facebook.com/v21.0"),
              (std::vector<std::string>{"graph.facebook.com", "lookaside.fbsbx.com"}));
    EXPECT_EQ(default_media_hosts("twilio", "https://api.twilio.com"),
              (std::vector<std::string>{"api.twilio.com", "mms.twiliocdn.com"}));
    EXPECT_EQ(default_media_hosts("telegram", "http://127.0.0.1:8081/"),
              (std::vector<std::string>{"127.0.0.1"}));
    EXPECT_EQ(default_media_hosts("line", "https://api.line.me"),
              (std::vector<std::string>{"api-data.line.me"}));
    EXPECT_EQ(default_media_hosts("zalo", ""), (std::vector<std::string>{"*.zdn.vn", "*.zadn.vn"}));
    EXPECT_TRUE(default_media_hosts("webchat", "").empty());
    EXPECT_TRUE(default_media_hosts("fax", "https://fax.example").empty());
    // A mock's URLs replace the platform's hosts; one host is named once.
    const auto* line = find_channel_type("line");
    EXPECT_EQ(line->media_hosts("https://api.line.me", {{"data_base", "http://[::1]:9000"}}),
              (std::vector<std::string>{"::1"}));
    const auto* whatsapp = find_channel_type("whatsapp");
    EXPECT_EQ(
        whatsapp->media_hosts("http://127.0.0.1:7000", {{"media_base", "http://127.0.0.1:7001"}}),
        (std::vector<std::string>{"127.0.0.1"}));
}

TEST(Registry, UrlHost) {
    EXPECT_EQ(url_host("https://Graph.Facebook.com/v21.0"), "graph.facebook.com");
    EXPECT_EQ(url_host("http://127.0.0.1:8080/x?y"), "127.0.0.1");
    EXPECT_EQ(url_host("https://[::1]:443/"), "::1");
}

}  // namespace
}  // namespace dgw::channels
