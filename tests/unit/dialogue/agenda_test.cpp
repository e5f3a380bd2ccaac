#include "dgw/dialogue/agenda.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

struct labelled {
    std::vector<agenda_item> items;
    std::map<std::string, std::string> label;  // concern id -> expected group
};

labelled fixture(const std::string& file = "agenda_concerns.json") {
    const auto doc = test::read_json(DGW_FIXTURES_DIR "/dialogue/" + file);
    labelled out;
    for (const auto& c : doc.at("concerns")) {
        agenda_item it;
        it.id = c.at("id");
        it.citizen = c.at("citizen");
        it.topic = c.at("topic");
        it.commune = c.at("commune");
        it.text = c.at("text");
        it.urgent = c.value("urgent", false);
        out.label[it.id] = c.at("group");
        out.items.push_back(std::move(it));
    }
    return out;
}

struct pair_scores {
    double precision, recall;
};

// Pairwise agreement with the hand labels: of the pairs put together, how many belong together
// (precision); of the pairs that belong together, how many were put together (recall).
pair_scores score(const labelled& f, const std::vector<agenda_group>& groups) {
    std::map<std::string, std::size_t> got;
    for (std::size_t g = 0; g < groups.size(); ++g)
        for (const auto& id : groups[g].concern_ids) got[id] = g;
    std::size_t together = 0, right_together = 0, should = 0;
    for (std::size_t a = 0; a < f.items.size(); ++a) {
        for (std::size_t b = a + 1; b < f.items.size(); ++b) {
            const auto& ia = f.items[a].id;
            const auto& ib = f.items[b].id;
            const bool same_label = f.label.at(ia) == f.label.at(ib);
            const bool same_group = got.at(ia) == got.at(ib);
            should += same_label;
            together += same_group;
            right_together += same_label && same_group;
        }
    }
    return {together ? double(right_together) / double(together) : 1.0,
            should ? double(right_together) / double(should) : 1.0};
}

std::string dump(const std::vector<agenda_group>& groups) {
    std::string s;
    for (const auto& g : groups) {
        s += g.topic + " citizens=" + std::to_string(g.citizens) + ":";
        for (const auto& id : g.concern_ids) s += " " + id;
        s += "\n";
    }
    return s;
}

TEST(Agenda, FixtureHasAtLeast60LabelledConcerns) {
    const auto f = fixture();
    EXPECT_GE(f.items.size(), 60u);
}

TEST(Agenda, GroupsMatchTheHandLabels) {
    const auto f = fixture();
    const auto groups = group_agenda(f.items);
    const auto s = score(f, groups);
    EXPECT_GE(s.precision, 0.95) << dump(groups);
    EXPECT_GE(s.recall, 0.85) << dump(groups);
    std::set<std::string> labels;
    for (const auto& [id, l] : f.label) labels.insert(l);
    // Within 3 of the labelled number of groups.
    EXPECT_NEAR(double(groups.size()), double(labels.size()), 3.0) << dump(groups);
}

// The threshold was chosen on agenda_concerns.json; this second session was labelled after that
// and is not used for tuning, so it shows whether the choice holds on unseen concerns.
TEST(Agenda, HeldOutSessionMatchesItsHandLabels) {
    const auto f = fixture("agenda_holdout.json");
    const auto groups = group_agenda(f.items);
    const auto s = score(f, groups);
    EXPECT_GE(s.precision, 0.9) << dump(groups);
    EXPECT_GE(s.recall, 0.75) << dump(groups);
}

TEST(Agenda, EveryConcernIsInExactlyOneGroupOfItsTopic) {
    const auto f = fixture();
    const auto groups = group_agenda(f.items);
    std::map<std::string, std::string> topic_of;
    for (const auto& it : f.items) topic_of[it.id] = it.topic;
    std::multiset<std::string> seen;
    for (const auto& g : groups)
        for (const auto& id : g.concern_ids) {
            seen.insert(id);
            EXPECT_EQ(topic_of.at(id), g.topic);
        }
    EXPECT_EQ(seen.size(), f.items.size());
    for (const auto& it : f.items) EXPECT_EQ(seen.count(it.id), 1u) << it.id;
}

TEST(Agenda, RankedByDistinctCitizensThenUrgency) {
    const auto f = fixture();
    const auto groups = group_agenda(f.items);
    for (std::size_t i = 1; i < groups.size(); ++i) {
        const auto& a = groups[i - 1];
        const auto& b = groups[i];
        EXPECT_TRUE(a.citizens > b.citizens || (a.citizens == b.citizens && a.urgent >= b.urgent))
            << dump(groups);
    }
    // The landslide on the road to Y Tý: 5 concerns from 4 citizens, all urgent. Land
    // certificates: 5 concerns from 4 citizens, none urgent. The landslide ranks first.
    ASSERT_FALSE(groups.empty());
    EXPECT_EQ(f.label.at(groups[0].concern_ids[0]), "landslide_y_ty") << dump(groups);
    EXPECT_EQ(groups[0].citizens, 4u);
    EXPECT_EQ(groups[0].urgent, 5u);
    EXPECT_EQ(groups[0].communes, (std::vector<std::string>{"02686", "02701"}));
}

TEST(Agenda, RepresentativeIsAMemberOfItsGroup) {
    const auto f = fixture();
    for (const auto& g : group_agenda(f.items)) {
        EXPECT_NE(std::find(g.concern_ids.begin(), g.concern_ids.end(), g.representative_id),
                  g.concern_ids.end());
        EXPECT_FALSE(g.representative.empty());
    }
}

TEST(Agenda, SameWordsDifferentTopicsStayApart) {
    std::vector<agenda_item> items = {
        {"A", "c1", "roads", "02683", "đường bị sạt lở", true},
        {"B", "c2", "environment", "02683", "đường bị sạt lở", true},
    };
    EXPECT_EQ(group_agenda(items).size(), 2u);
}

TEST(Agenda, SimilarityIsFoldedAndOrderFree) {
    EXPECT_NEAR(text_similarity("Sạt lở đường lên Y Tý", "sat lo duong len y ty"), 1.0, 1e-9);
    EXPECT_GT(text_similarity("cấp sổ đỏ chậm", "chậm cấp sổ đỏ cho dân"), 0.3);
    EXPECT_LT(text_similarity("cấp sổ đỏ chậm", "giá quế giảm"), 0.05);
    EXPECT_TRUE(group_agenda({}).empty());
}

}  // namespace
}  // namespace dgw::dialogue
