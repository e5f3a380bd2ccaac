#pragma once
// Runs the real dialogue-gateway binary as a child process with its stdout on a pipe, so tests
// can read what it prints, signal it and collect its exit code.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace dgw::test {

/// Passed instead of an input: the child's standard input stays open for write_line(), so a
/// test can answer what the child printed (a conversation with `chat --json`).
struct keep_stdin_t {};
inline constexpr keep_stdin_t keep_stdin{};

class child_process {
public:
    child_process(std::vector<std::string> argv, keep_stdin_t)
        : child_process(std::move(argv), std::string(), true) {}

    /// Writes one line to the child's standard input (keep_stdin only).
    void write_line(const std::string& line) {
        const std::string all = line + "\n";
        std::size_t done = 0;
        while (done < all.size()) {
            auto n = ::write(in_, all.data() + done, all.size() - done);
            if (n <= 0) throw std::runtime_error("the child closed its input");
            done += static_cast<std::size_t>(n);
        }
    }

    /// End of file on the child's standard input (keep_stdin only).
    void close_input() {
        if (in_ >= 0) close(in_);
        in_ = -1;
    }

    /// argv[0] is the program path. stderr is passed through (the gateway's log). `input`,
    /// when given, is the child's whole standard input (then end of file).
    explicit child_process(std::vector<std::string> argv,
                           std::optional<std::string> input = std::nullopt,
                           bool keep_input_open = false) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe");
        int in_fds[2] = {-1, -1};
        if (input && pipe(in_fds) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        if (input) {
            posix_spawn_file_actions_adddup2(&actions, in_fds[0], STDIN_FILENO);
            posix_spawn_file_actions_addclose(&actions, in_fds[1]);
        }
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        if (input) close(in_fds[0]);
        if (rc != 0) {
            close(fds[0]);
            if (input) close(in_fds[1]);
            throw std::runtime_error("cannot start " + argv[0]);
        }
        out_ = fdopen(fds[0], "r");
        if (input && keep_input_open) {
            in_ = in_fds[1];
        } else if (input) {
            // Small inputs fit in the pipe buffer; write all, then end of file.
            std::size_t done = 0;
            while (done < input->size()) {
                auto n = write(in_fds[1], input->data() + done, input->size() - done);
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            close(in_fds[1]);
        }
    }

    ~child_process() {
        close_input();
        if (pid_ > 0 && !reaped_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (out_) std::fclose(out_);
    }

    /// The next line of stdout without its newline; empty at end of output.
    std::string read_line() {
        std::string line;
        int c;
        while ((c = std::fgetc(out_)) != EOF && c != '\n') line += static_cast<char>(c);
        return line;
    }

    /// Everything left on stdout.
    std::string read_all() {
        std::string all;
        int c;
        while ((c = std::fgetc(out_)) != EOF) all += static_cast<char>(c);
        return all;
    }

    void signal(int sig) { kill(pid_, sig); }
    pid_t pid() const { return pid_; }

    /// Waits for exit; the exit code, or 128 + signal number when killed.
    int wait() {
        int status = 0;
        waitpid(pid_, &status, 0);
        reaped_ = true;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return -1;
    }

private:
    pid_t pid_ = -1;
    int in_ = -1;  // the child's standard input, while kept open
    FILE* out_ = nullptr;
    bool reaped_ = false;
};

}  // namespace dgw::test
