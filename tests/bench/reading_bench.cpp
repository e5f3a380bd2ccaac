// What reading a citizen's first message costs, next to what the flows did before for the same
// words, measured in the same run (this machine is noisy: compare ratios, not times):
//   - bm_read_first_message: dialogue::concern_reader::read on a whole concern (intent, topic,
//     commune, danger, reference, language);
//   - bm_find_communes_in_message: the communes a whole message names, its largest part;
//   - bm_resolve_commune_answer: the commune resolver on the answer to "which commune?";
//   - bm_match_topic_answer: the topic question's choices matched against an answer;
//   - bm_fold_message: folding the message once, the floor any reading pays.
//
//   build/release/tests/bench/reading_bench --benchmark_min_time=1s
#include <dgw/core/match.hpp>
#include <dgw/core/text.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const dgw::dialogue::dialogue_config& shipped() {
    static const dgw::dialogue::dialogue_config config = [] {
        std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
        std::stringstream text;
        text << in.rdbuf();
        std::vector<dgw::core::problem> problems;
        auto c = dgw::dialogue::load_text(text.str(), problems);
        if (!problems.empty()) throw std::runtime_error(dgw::core::to_string(problems.front()));
        return c;
    }();
    return config;
}

const std::string message = "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc";

void bm_read_first_message(benchmark::State& state) {
    const dgw::dialogue::concern_reader reader(shipped());
    for (auto _ : state) benchmark::DoNotOptimize(reader.read(message));
}
BENCHMARK(bm_read_first_message);

void bm_read_long_message(benchmark::State& state) {
    const dgw::dialogue::concern_reader reader(shipped());
    std::string text;
    for (int i = 0; i < 6; ++i) text += message + ". ";
    for (auto _ : state) benchmark::DoNotOptimize(reader.read(text));
}
BENCHMARK(bm_read_long_message);

void bm_find_communes_in_message(benchmark::State& state) {
    const dgw::dialogue::locality_resolver resolver(shipped());
    for (auto _ : state) benchmark::DoNotOptimize(resolver.find_in(message));
}
BENCHMARK(bm_find_communes_in_message);

void bm_resolve_commune_answer(benchmark::State& state) {
    const dgw::dialogue::locality_resolver resolver(shipped());
    for (auto _ : state) benchmark::DoNotOptimize(resolver.resolve("bat xat"));
}
BENCHMARK(bm_resolve_commune_answer);

void bm_match_topic_answer(benchmark::State& state) {
    std::vector<dgw::core::match_option> options;
    for (const auto& t : shipped().topics) options.push_back({{t.name_vi, t.name_en}});
    for (auto _ : state)
        benchmark::DoNotOptimize(dgw::core::match_options("duong vao thon bi sat lo", options));
}
BENCHMARK(bm_match_topic_answer);

void bm_fold_message(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(dgw::core::fold(message));
}
BENCHMARK(bm_fold_message);

}  // namespace

BENCHMARK_MAIN();
