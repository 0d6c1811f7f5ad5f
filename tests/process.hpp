#pragma once
// Test support for the real binary: start `corridor serve` on 127.0.0.1 with an ephemeral port,
// talk HTTP/1.1 to it over a socket, and stop it with a signal.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ports.hpp"

namespace corridor::testing {

struct HttpResult {
  int status = 0;  // 0: no response (connection refused or reset)
  std::string headers;
  std::string body;
};

// One request on a fresh connection ("Connection: close").
inline HttpResult HttpCall(int port, const std::string& method, const std::string& target,
                           const std::string& body = "", const std::string& token = "",
                           const std::string& extra_headers = "") {
  HttpResult result;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return result;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return result;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  req += extra_headers;
  if (!body.empty() || method == "POST") {
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  size_t sent = 0;
  while (sent < req.size()) {
    const ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return result;
    }
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buf[8192];
  while (true) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  const auto head_end = response.find("\r\n\r\n");
  if (response.size() < 12 || head_end == std::string::npos) return result;
  result.status = std::stoi(response.substr(9, 3));
  result.headers = response.substr(0, head_end);
  result.body = response.substr(head_end + 4);
  return result;
}

// A connection to 127.0.0.1:port from `from` (any 127.0.0.0/8 address; empty: the default),
// or -1.
inline int Connect(int port, const std::string& from = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (!from.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends raw bytes on a fresh connection and reads until the server closes it (or `timeout_ms`
// of silence passes); everything the server sent.
inline std::string RawExchange(int port, const std::string& bytes, const std::string& from = "",
                               int timeout_ms = 5000) {
  const int fd = Connect(port, from);
  if (fd < 0) return {};
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buf[8192];
  while (true) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return response;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout (and whatever the command redirects into it)
};

// Runs a shell command and collects its standard output and exit status.
inline CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class ServerProcess {
 public:
  // Starts the server on the database; returns once it listens (or fails the test's wait).
  // `extra` are further `corridor serve` options.
  explicit ServerProcess(const std::string& db, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {CORRIDOR_BIN, "serve",       "--db",         db,
                                     "--listen",   "127.0.0.1:0", "--access-log", "off"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int pipefd[2];
    if (::pipe(pipefd) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(pipefd[1], STDERR_FILENO);
      ::close(pipefd[0]);
      ::close(pipefd[1]);
      ::execv(CORRIDOR_BIN, argv.data());
      ::_exit(127);
    }
    ::close(pipefd[1]);
    stderr_fd_ = pipefd[0];
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    char c;
    while (std::chrono::steady_clock::now() < deadline && ::read(stderr_fd_, &c, 1) == 1) {
      seen.push_back(c);
      if (c != '\n') continue;
      const auto at = seen.find("serving http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = std::stoi(seen.substr(at + 25));
        break;
      }
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stderr_fd_ >= 0) ::close(stderr_fd_);
  }

  int port() const { return port_; }
  // Sends a signal and waits for the exit; the exit status (or 128 + signal).
  int SignalAndWait(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int port_ = 0;
  bool exited_ = false;
};

}  // namespace corridor::testing
