// What one webhook costs the database thread, the gateway's one serial resource, measured
// without HTTP, sockets or other processes: CPU time on this thread is a figure that holds while
// other work shares the machine, unlike the throughput of webhook_bench.
//
// It replays what the gateway's shared rounds do (pipeline::database): in one transaction per
// round, append a group of Telegram events to the inbox, record the previous round's sends,
// run the worker's batch (the shipped flows and dialogue config) and read-and-claim the due
// replies; then commit. Chats walk through whole conversations, as in webhook_bench.
//
//   pipeline_bench --source . [--events 20000] [--per-round 40] [--chats 512]
//                  [--synchronous full|normal]
//
// Prints one JSON line: CPU µs per event for each phase and in all, commits, and the wall time
// of a round (fsyncs included).

#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/flow/loader.hpp>
#include <dgw/pipeline/processor.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace dgw;

// A citizen tapping through the menu question by question (a greeting, "Gửi phản ánh", the
// topic's button number, the commune, the description, the send button), then one who says it
// all in the first message: both ways the flows are used.
const std::vector<std::string> script = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh", "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc",
    "gui an danh"};

// CPU time of the calling thread: what the database thread itself spends.
double thread_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct phase_clock {
    double append = 0, sends = 0, batch = 0, pick = 0, commit = 0;
};

}  // namespace

int main(int argc, char** argv) {
    std::string source = ".";
    std::size_t events = 20000, per_round = 40, chats = 512;
    std::string synchronous = "full";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--source") source = v;
        else if (k == "--events") events = std::stoul(v);
        else if (k == "--per-round") per_round = std::stoul(v);
        else if (k == "--chats") chats = std::stoul(v);
        else if (k == "--synchronous") synchronous = v;
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }

    std::vector<core::problem> problems;
    auto dialogue_cfg = std::make_shared<const dialogue::dialogue_config>(
        dialogue::load_text(read_text(source + "/config/dialogue.json"), problems));
    auto flows = std::make_shared<flow::registry>();
    for (const char* f : {"menu", "raise_concern", "check_status"}) {
        auto loaded = flow::load_text(read_text(source + "/flows/" + f + ".json"));
        if (!loaded.flow) {
            std::cerr << "cannot load flow " << f << "\n";
            return 1;
        }
        flows->add(loaded.flow);
    }
    core::metrics metrics;
    pipeline::processor_deps deps;
    deps.flows = flows;
    deps.dialogue = dialogue_cfg;
    deps.localities = std::make_shared<const dialogue::locality_resolver>(*dialogue_cfg);
    deps.reader = std::make_shared<const dialogue::concern_reader>(*dialogue_cfg);
    deps.start_flow = {{"telegram", "menu"}};
    deps.random = [rng = std::mt19937{7}]() mutable { return static_cast<std::uint32_t>(rng()); };
    deps.metrics = &metrics;
    pipeline::processor proc(std::move(deps));

    auto dir = std::filesystem::temp_directory_path() /
               ("dgw-pipeline-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    store::sqlite_options opts;
    opts.path = (dir / "dgw.sqlite").string();
    opts.synchronous_full = synchronous != "normal";
    auto db = store::open_sqlite(opts);

    phase_clock spent;
    std::vector<std::size_t> step(chats, 0);
    std::vector<store::send_result> sent;
    std::size_t next = 0, rounds = 0, concerns = 0, messages = 0;
    const auto started = std::chrono::steady_clock::now();
    while (next < events) {
        std::vector<store::inbox_item> items;
        const auto now = std::chrono::system_clock::now();
        for (std::size_t i = 0; i < per_round && next < events; ++i, ++next) {
            const auto chat = next % chats;
            core::inbound_event e;
            e.user_id = std::to_string(1'000'000'000 + chat);
            e.dedup_key = e.user_id + ":" + std::to_string(next);
            e.display_name = "B";
            e.text = script[step[chat]++ % script.size()];
            // Serialised before the round, as the webhook handler does on its I/O thread.
            std::string text = nlohmann::json(e).dump();
            items.push_back({"telegram", std::move(e), now, std::move(text)});
        }
        double t = thread_cpu_us();
        auto lap = [&t](double& into) {
            double n = thread_cpu_us();
            into += n - t;
            t = n;
        };
        db->transact([&] {
            db->append_inbox(items);
            lap(spent.append);
            if (!sent.empty()) db->record_sends(sent);
            lap(spent.sends);
            auto done = proc.run_batch(*db, now, 256);
            concerns += done.concerns;
            messages += done.messages;
            lap(spent.batch);
            sent.clear();
            std::vector<std::int64_t> ids;
            for (auto& m : db->sendable_outbox(now, 512)) {
                ids.push_back(m.id);
                sent.push_back({m.id, store::send_result::kind::sent, 1, now, now, ""});
            }
            if (!ids.empty()) db->claim_outbox(ids, now);
            lap(spent.pick);
        });
        lap(spent.commit);
        ++rounds;
    }
    const double wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    const auto n = static_cast<double>(events);
    double total = spent.append + spent.sends + spent.batch + spent.pick + spent.commit;
    nlohmann::json out = {{"events", events},
                          {"per_round", per_round},
                          {"chats", chats},
                          {"commits", rounds},
                          // The same for the same options: a check that a change kept the work.
                          {"concerns", concerns},
                          {"messages", messages},
                          {"synchronous", synchronous},
                          {"us_per_event",
                           {{"append", spent.append / n},
                            {"record_sends", spent.sends / n},
                            {"worker_batch", spent.batch / n},
                            {"pick_and_claim", spent.pick / n},
                            {"commit", spent.commit / n},
                            {"total", total / n}}},
                          // Wall time includes the fsyncs, which CPU time does not.
                          {"wall_ms_per_round", wall_ms / static_cast<double>(rounds)},
                          {"backlog_left", db->inbox_backlog()}};
    std::cout << out.dump() << std::endl;
    db.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
