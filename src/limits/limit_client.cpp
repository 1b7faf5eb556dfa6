#include "limits/limit_client.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace chase {

LimitClient::LimitClient(std::filesystem::path socket) : socket_(std::move(socket)) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = socket_.string();
  if (path.size() >= sizeof address.sun_path) {
    throw InputError(fmt::format("--daemon-socket: {} is longer than a Unix socket path may be", path));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw HardwareError(fmt::format("socket: {}", std::strerror(errno)));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    const std::string message =
        fmt::format("cannot connect to chased at {}: {}", path, std::strerror(error));
    if (error == EACCES || error == EPERM) {
      throw PermissionError(message + " (the socket is for the group chased was started with: see `chased --help`)");
    }
    throw HardwareError(message + " (is chased running? see README, \"Running with real GPUs\")");
  }
  // A chased that hangs must not hang chase: an answer comes in milliseconds.
  timeval timeout{30, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

LimitClient::~LimitClient() {
  if (fd_ >= 0) ::close(fd_);
}

LimitResponse LimitClient::call(const LimitRequest& request) {
  std::lock_guard lock(mutex_);
  const std::string out = frame_message(encode_request(request));
  std::size_t sent = 0;
  while (sent < out.size()) {
    const ssize_t n = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw HardwareError(fmt::format("chased at {} went away ({}): it restores the limits it held when it starts again",
                                      socket_.string(), std::strerror(errno)));
    }
    sent += static_cast<std::size_t>(n);
  }
  try {
    while (true) {
      if (auto body = reader_.next()) return decode_response(*body);
      char buffer[16384];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) {
        throw HardwareError(fmt::format(
            "chased at {} closed the connection: it restores the limits it held (now, or when it starts again)",
            socket_.string()));
      }
      if (n < 0) {
        throw HardwareError(fmt::format("chased at {} did not answer: {}", socket_.string(), std::strerror(errno)));
      }
      reader_.append(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
  } catch (const ProtocolError& e) {
    throw HardwareError(fmt::format("chased at {}: {}", socket_.string(), e.what()));
  }
}

LimitResponse LimitClient::checked(const LimitRequest& request) {
  LimitResponse r = call(request);
  if (r.ok) return r;
  const std::string message = fmt::format("chased: {}", r.error);
  switch (r.code) {
    case LimitErrorCode::kRefused:
    case LimitErrorCode::kBusy:
      throw PermissionError(message);
    case LimitErrorCode::kBadRequest:
    case LimitErrorCode::kUnknownGpu:
      throw InputError(message);
    default:
      throw HardwareError(message);
  }
}

std::vector<GpuLimitInfo> LimitClient::list() { return checked({LimitOp::kList}).gpus; }

GpuLimitInfo LimitClient::set(const std::string& gpu, Power limit) {
  const LimitResponse r = checked({LimitOp::kSet, gpu, limit});
  if (r.gpus.size() != 1) throw HardwareError(fmt::format("chased at {}: a set answered {} GPUs", socket_.string(), r.gpus.size()));
  return r.gpus.front();
}

void LimitClient::release(const std::string& gpu) { checked({LimitOp::kRelease, gpu}); }

std::shared_ptr<LimitClient> connect_limit_daemon(const std::optional<std::string>& socket,
                                                  const EnvironmentLookup& env) {
  if (socket && !socket->empty()) return std::make_shared<LimitClient>(*socket);
  if (auto named = env(kDaemonSocketVariable); named && !named->empty()) return std::make_shared<LimitClient>(*named);
  if (::geteuid() == 0) return nullptr;
  std::error_code error;
  if (!std::filesystem::exists(kDefaultDaemonSocket, error)) return nullptr;
  return std::make_shared<LimitClient>(kDefaultDaemonSocket);
}

}  // namespace chase
