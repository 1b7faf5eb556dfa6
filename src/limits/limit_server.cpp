#include "limits/limit_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/error.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct LimitServer::Client {
  std::uint64_t id = 0;
  int fd = -1;
  PeerCredentials peer = {};
  MessageReader reader = {};
  std::string outbox = {};
  bool closing = false;  // answer sent, then end (after a length above the limit)
};

namespace {

// A client that does not read its answers cannot make chased hold unbounded memory.
constexpr std::size_t kMaxOutbox = 1 << 20;

std::string os_error(const std::string& what) { return fmt::format("{}: {}", what, std::strerror(errno)); }

sockaddr_un socket_address(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof address.sun_path) {
    throw InputError(fmt::format("--socket: {} is longer than a Unix socket path may be ({} bytes)", p,
                                 sizeof address.sun_path - 1));
  }
  std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
  return address;
}

// True when something accepts connections at `path` now (another chased).
bool someone_listens(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_un address = socket_address(path);
  const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

std::string since_text(std::int64_t unix_seconds) {
  return UtcTime::from_epoch_ms(unix_seconds * 1000).iso8601();
}

std::int64_t now_unix() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

PeerCredentials peer_credentials(int fd) {
  ucred cred{};
  socklen_t length = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) throw Error(os_error("SO_PEERCRED"));
  PeerCredentials peer;
  peer.pid = cred.pid;
  peer.uid = cred.uid;
  peer.gids.push_back(cred.gid);
  // The peer's supplementary groups as they were when it connected (Linux 4.13+); without
  // them only the primary group counts.
  std::vector<gid_t> groups(256);
  socklen_t size = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) == 0) {
    for (std::size_t i = 0; i < size / sizeof(gid_t); ++i) {
      if (groups[i] != cred.gid) peer.gids.push_back(groups[i]);
    }
  }
  return peer;
}

LimitServer::LimitServer(std::vector<LimitTarget> gpus, AccessPolicy policy, LimitServerSettings settings, Log log)
    : gpus_(std::move(gpus)), policy_(std::move(policy)), settings_(std::move(settings)), log_(std::move(log)) {
  if (!log_) log_ = [](const std::string& line) { std::fprintf(stderr, "chased: %s\n", line.c_str()); };
}

LimitServer::~LimitServer() {
  for (auto& [id, client] : clients_) ::close(client->fd);
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    std::error_code ignored;
    std::filesystem::remove(settings_.socket, ignored);
  }
}

void LimitServer::recover() {
  std::filesystem::create_directories(settings_.state_dir);
  const std::vector<HeldLimit> left = read_limit_state(state_file());
  for (const HeldLimit& h : left) {
    if (!restore({kNoClient, h}, fmt::format("left by a chased that ended without restoring it (held by pid {} of {} since {})",
                                             h.holder.pid, describe_user(h.holder.uid), since_text(h.holder.since_unix)))) {
      held_.emplace(h.uuid, Holding{kNoClient, h});  // still lowered: the next client inherits the original
    }
  }
  if (!left.empty() || !std::filesystem::exists(state_file())) persist();
}

void LimitServer::listen() {
  const std::filesystem::path& path = settings_.socket;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  if (std::filesystem::exists(std::filesystem::symlink_status(path))) {
    if (someone_listens(path)) throw Error(fmt::format("another chased is listening on {}", path.string()));
    std::filesystem::remove(path);  // left by a chased that died
  }
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) throw Error(os_error("socket"));
  const sockaddr_un address = socket_address(path);
  // Made with no access for anyone, then opened to the mode and group asked for: no moment
  // at which another user could connect through a wider mode.
  const mode_t old_mask = ::umask(0777);
  const int bound = ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  ::umask(old_mask);
  if (bound != 0) throw Error(os_error(fmt::format("cannot bind {}", path.string())));
  if (settings_.group && ::chown(path.c_str(), static_cast<uid_t>(-1), *settings_.group) != 0) {
    throw Error(os_error(fmt::format("cannot give {} to group {}", path.string(), *settings_.group)));
  }
  if (::chmod(path.c_str(), static_cast<mode_t>(settings_.socket_mode)) != 0) {
    throw Error(os_error(fmt::format("cannot chmod {}", path.string())));
  }
  if (::listen(listen_fd_, SOMAXCONN) != 0) throw Error(os_error("listen"));
}

int LimitServer::serve() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  if (::sigprocmask(SIG_BLOCK, &stop_signals, nullptr) != 0) throw Error(os_error("sigprocmask"));
  // A client that vanishes mid-answer must not kill the daemon (writes use MSG_NOSIGNAL too).
  ::signal(SIGPIPE, SIG_IGN);
  const int signal_fd = ::signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) throw Error(os_error("signalfd"));
  int stopped_by = 0;
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> ids;
  while (stopped_by == 0) {
    fds.clear();
    ids.clear();
    fds.push_back({signal_fd, POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& [id, client] : clients_) {
      fds.push_back({client->fd, static_cast<short>(POLLIN | (client->outbox.empty() ? 0 : POLLOUT)), 0});
      ids.push_back(id);
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      ::close(signal_fd);
      throw Error(os_error("poll"));
    }
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      if (::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        stopped_by = static_cast<int>(info.ssi_signo);
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      const auto it = clients_.find(ids[i - 2]);
      if (it == clients_.end()) continue;
      Client& client = *it->second;
      bool alive = true;
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) alive = read_from(client);
      if (alive && !client.outbox.empty()) alive = write_to(client);
      if (alive && client.closing && client.outbox.empty()) alive = false;
      if (!alive) disconnect(client.id);
    }
    if (fds[1].revents & POLLIN) accept_clients();
  }
  ::close(signal_fd);
  restore_all(fmt::format("chased is stopping ({})", strsignal(stopped_by)));
  for (auto& [id, client] : clients_) ::close(client->fd);
  clients_.clear();
  return stopped_by;
}

void LimitServer::accept_clients() {
  while (true) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) log_(os_error("accept"));
      return;
    }
    if (clients_.size() >= settings_.max_clients) {
      ::close(fd);
      continue;
    }
    auto client = std::make_unique<Client>();
    client->id = next_client_++;
    client->fd = fd;
    try {
      client->peer = peer_credentials(fd);
    } catch (const Error& e) {
      log_(e.what());
      ::close(fd);
      continue;
    }
    clients_.emplace(client->id, std::move(client));
  }
}

bool LimitServer::read_from(Client& client) {
  char buffer[16384];
  // A bounded share per round: a client that never stops sending cannot starve the others.
  for (int round = 0; round < 8; ++round) {
    const ssize_t n = ::recv(client.fd, buffer, sizeof buffer, 0);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    if (client.closing) continue;  // nothing more is read from a stream that lost its framing
    client.reader.append(std::string_view(buffer, static_cast<std::size_t>(n)));
    try {
      while (auto body = client.reader.next()) {
        client.outbox += frame_message(encode_response(handle(client, *body)));
        if (client.outbox.size() > kMaxOutbox) return false;
      }
    } catch (const ProtocolError& e) {
      // A length above the limit: the rest of the stream cannot be framed. Say why, then end.
      client.outbox += frame_message(encode_response(LimitResponse::failure(LimitErrorCode::kBadRequest, e.what())));
      client.closing = true;
    }
  }
  return true;
}

bool LimitServer::write_to(Client& client) {
  while (!client.outbox.empty()) {
    const ssize_t n = ::send(client.fd, client.outbox.data(), client.outbox.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    client.outbox.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void LimitServer::disconnect(std::uint64_t id) {
  const auto it = clients_.find(id);
  if (it == clients_.end()) return;
  const Client& client = *it->second;
  std::vector<Holding> released;
  for (auto h = held_.begin(); h != held_.end();) {
    if (h->second.client == id) {
      released.push_back(h->second);
      h = held_.erase(h);
    } else {
      ++h;
    }
  }
  for (const Holding& h : released) {
    if (!restore(h, fmt::format("its holder, pid {} of {}, disconnected", client.peer.pid, describe_user(client.peer.uid)))) {
      // Not back: kept, with no client, in the state file — tried again at SIGTERM and at the
      // next start, and the next client that sets this GPU inherits the original.
      held_.emplace(h.held.uuid, Holding{kNoClient, h.held});
    }
  }
  if (!released.empty()) {
    try {
      persist();
    } catch (const Error& e) {
      // The limits are back; only the record of them is stale (a restart restores them again).
      log_(e.what());
    }
  }
  ::close(client.fd);
  clients_.erase(it);
}

LimitResponse LimitServer::handle(const Client& client, const std::string& body) {
  LimitRequest request;
  try {
    request = decode_request(body);
  } catch (const ProtocolVersionError& e) {
    return LimitResponse::failure(LimitErrorCode::kVersion, e.what());
  } catch (const ProtocolError& e) {
    return LimitResponse::failure(LimitErrorCode::kBadRequest, e.what());
  }
  try {
    switch (request.op) {
      case LimitOp::kList:
        return list(client);
      case LimitOp::kSet:
        return set_limit(client, request);
      case LimitOp::kRelease:
        return release_limit(client, request);
    }
  } catch (const InputError& e) {
    return LimitResponse::failure(LimitErrorCode::kBadRequest, e.what());
  } catch (const Error& e) {
    return LimitResponse::failure(LimitErrorCode::kHardware, e.what());
  }
  return LimitResponse::failure(LimitErrorCode::kBadRequest, "unknown op");
}

const LimitTarget* LimitServer::find_gpu(const std::string& key) const {
  for (const LimitTarget& g : gpus_) {
    if (g.uuid == key || std::to_string(g.index) == key) return &g;
  }
  return nullptr;
}

GpuLimitInfo LimitServer::info(const LimitTarget& gpu, const PeerCredentials& asking) const {
  GpuLimitInfo g;
  g.index = gpu.index;
  g.uuid = gpu.uuid;
  g.name = gpu.device->name();
  g.limit = gpu.device->power_limit();
  g.range = gpu.device->power_limit_range();
  g.default_limit = gpu.device->default_power_limit();
  if (const auto it = held_.find(gpu.uuid); it != held_.end()) g.holder = it->second.held.holder;
  g.allowed = policy_.allowed_range(asking, gpu.index, gpu.uuid, g.range);
  return g;
}

LimitResponse LimitServer::list(const Client& client) const {
  LimitResponse r;
  r.ok = true;
  for (const LimitTarget& g : gpus_) r.gpus.push_back(info(g, client.peer));
  return r;
}

LimitResponse LimitServer::set_limit(const Client& client, const LimitRequest& request) {
  const LimitTarget* gpu = find_gpu(request.gpu);
  if (gpu == nullptr) {
    return LimitResponse::failure(LimitErrorCode::kUnknownGpu,
                                  fmt::format("no GPU '{}' here ({} GPU(s) with a settable power limit)", request.gpu,
                                              gpus_.size()));
  }
  const Power limit = request.limit.value_or(Power());
  if (auto why = policy_.refusal(client.peer, gpu->index, gpu->uuid, limit)) {
    log_(fmt::format("refused pid {}: {}", client.peer.pid, *why));
    return LimitResponse::failure(LimitErrorCode::kRefused, *why);
  }
  auto held = held_.find(gpu->uuid);
  if (held != held_.end() && held->second.client == kNoClient) {
    // A GPU whose last holder left it lowered (its restore failed): this client takes it over,
    // and the original it will be restored to stays the one recorded first.
    held->second.client = client.id;
    held->second.held.holder = {client.peer.pid, client.peer.uid, now_unix()};
  }
  if (held != held_.end() && held->second.client != client.id) {
    const LimitHolder& h = held->second.held.holder;
    return LimitResponse::failure(
        LimitErrorCode::kBusy,
        fmt::format("GPU {} ({}) is held by pid {} of {} since {}: one client sets a GPU's limit at a time", gpu->index,
                    gpu->uuid, h.pid, describe_user(h.uid), since_text(h.since_unix)));
  }
  const PowerLimitRange range = gpu->device->power_limit_range();
  if (!(limit >= range.min && limit <= range.max)) {
    return LimitResponse::failure(LimitErrorCode::kBadRequest,
                                  fmt::format("GPU {}: {:g} W is outside its range {:g}-{:g} W", gpu->index,
                                              limit.watts(), range.min.watts(), range.max.watts()));
  }
  const bool first = held == held_.end();
  if (first) {
    // Written down before anything changes: a chased killed after the set restores from it.
    Holding h{client.id, {gpu->index, gpu->uuid, gpu->device->power_limit(),
                          {client.peer.pid, client.peer.uid, now_unix()}}};
    held_.emplace(gpu->uuid, h);
    try {
      persist();
    } catch (const Error&) {
      held_.erase(gpu->uuid);
      throw;
    }
  }
  try {
    gpu->device->set_power_limit(limit);
  } catch (const Error&) {
    if (first) {
      held_.erase(gpu->uuid);  // nothing changed: nothing to restore
      persist();
    }
    throw;
  }
  LimitResponse r;
  r.ok = true;
  r.gpus.push_back(info(*gpu, client.peer));
  return r;
}

LimitResponse LimitServer::release_limit(const Client& client, const LimitRequest& request) {
  const LimitTarget* gpu = find_gpu(request.gpu);
  if (gpu == nullptr) return LimitResponse::failure(LimitErrorCode::kUnknownGpu, fmt::format("no GPU '{}' here", request.gpu));
  const auto held = held_.find(gpu->uuid);
  if (held != held_.end()) {
    if (held->second.client != client.id) {
      return LimitResponse::failure(LimitErrorCode::kRefused,
                                    fmt::format("GPU {} is held by another client (pid {}); only its holder releases it",
                                                gpu->index, held->second.held.holder.pid));
    }
    const Holding h = held->second;
    gpu->device->set_power_limit(h.held.original);  // throws: the hold stays, to be tried again
    held_.erase(held);
    persist();
  }
  LimitResponse r;
  r.ok = true;
  r.gpus.push_back(info(*gpu, client.peer));
  return r;
}

bool LimitServer::restore(const Holding& holding, const std::string& why) {
  const HeldLimit& h = holding.held;
  const LimitTarget* gpu = find_gpu(h.uuid);
  if (gpu == nullptr) {
    log_(fmt::format("cannot restore GPU {} ({}) to {:g} W: it is not among the GPUs here; {}", h.index, h.uuid,
                     h.original.watts(), why));
    return false;
  }
  try {
    if (gpu->device->power_limit() != h.original) gpu->device->set_power_limit(h.original);
    log_(fmt::format("restored GPU {} ({}) to {:g} W: {}", gpu->index, gpu->uuid, h.original.watts(), why));
    return true;
  } catch (const Error& e) {
    log_(fmt::format("cannot restore GPU {} ({}) to {:g} W ({}): {}; kept in the state file to try again",
                     gpu->index, gpu->uuid, h.original.watts(), why, e.what()));
    return false;
  }
}

void LimitServer::restore_all(const std::string& why) {
  for (auto h = held_.begin(); h != held_.end();) {
    if (restore(h->second, why)) {
      h = held_.erase(h);
    } else {
      h->second.client = kNoClient;  // left for the next start
      ++h;
    }
  }
  try {
    persist();
  } catch (const Error& e) {
    log_(e.what());
  }
}

void LimitServer::persist() {
  std::vector<HeldLimit> held;
  for (const auto& [uuid, h] : held_) held.push_back(h.held);
  write_limit_state(state_file(), held);
}

}  // namespace chase
