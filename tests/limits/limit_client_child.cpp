// A client of chased for the tests, as its own process (so that it can be killed, or run as
// another user): `limit_client_child SOCKET GPU WATTS [hold|exit]` connects, sets GPU to WATTS
// and prints "held" — then waits to be killed (hold) or exits 0 (exit), which ends the
// connection either way. A refusal prints "refused: <chased's line>" and exits 3; anything
// else "error: …" and exits 1.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "limits/limit_client.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: limit_client_child SOCKET GPU WATTS [hold|exit]\n");
    return 2;
  }
  const std::string mode = argc > 4 ? argv[4] : "hold";
  try {
    chase::LimitClient client(argv[1]);
    client.set(argv[2], chase::Power::watts(std::atof(argv[3])));
    std::printf("held\n");
    std::fflush(stdout);
    if (mode == "exit") return 0;
    while (true) ::pause();
  } catch (const chase::PermissionError& e) {
    std::printf("refused: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
}
