#pragma once
/// Agenda grouping: a session's concerns grouped by topic and by similarity of their folded
/// text, ranked by how many distinct citizens raised each group, then urgency.
///
/// Similarity is TF-IDF cosine over folded words and word pairs (Vietnamese meaning sits in
/// two-syllable words: "sạt lở", "đất đai"), with common function words dropped; groups are
/// built by average-link agglomerative clustering within each topic. Quadratic memory and
/// roughly cubic time in the concerns of one topic: fine for a session (tens to a few hundred).

#include <cstddef>
#include <string>
#include <vector>

namespace dgw::dialogue {

struct agenda_item {
    std::string id;       ///< concern reference
    std::string citizen;  ///< stable contact id; anonymous concerns get their own id
    std::string topic;
    std::string commune;  ///< unit code
    std::string text;
    bool urgent = false;
};

struct agenda_group {
    std::string topic;
    std::string representative;  ///< text of the most central concern
    std::string representative_id;
    std::vector<std::string> concern_ids;  ///< in input order
    std::vector<std::string> communes;     ///< distinct, sorted
    std::size_t citizens = 0;              ///< distinct citizens
    std::size_t urgent = 0;                ///< urgent concerns in the group
};

struct agenda_options {
    /// Average cosine similarity at or above which two groups merge. Short concerns share few
    /// words, so the useful band is low: on the labelled fixture
    /// (tests/fixtures/dialogue/agenda_concerns.json) 0.055..0.085 reproduces the hand grouping
    /// exactly; below it unrelated groups of a topic merge, above it paraphrases split.
    double threshold = 0.07;
};

/// Groups and ranks: most distinct citizens first, then most urgent concerns, then larger
/// groups, then topic and representative text (so the order is deterministic).
std::vector<agenda_group> group_agenda(const std::vector<agenda_item>& items,
                                       const agenda_options& options = {});

/// Cosine similarity of two texts with document frequencies taken from just these two (for
/// tests and tooling; group_agenda weighs words over the whole session).
double text_similarity(const std::string& a, const std::string& b);

}  // namespace dgw::dialogue
