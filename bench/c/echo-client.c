/*
 * echo-client: the echo load generator of bench/echo.ts. One thread, epoll, many connections, and
 * every echoed byte checked against what was sent. Not a general tool: it speaks to echo servers only.
 *
 *   mode      | each connection                                   | counts
 *   pingpong  | sends one --size message, waits for all of it     | round trips, latency per message
 *   stream    | keeps up to --window bytes in flight, --size writes | echoed bytes (MB/s)
 *   churn     | connects, one round trip, closes, starts again     | connections, latency connect..echo
 *   idle      | connects, one round trip, then holds (for RSS)     | connections held
 *
 * --unix PATH connects to a Unix stream socket instead of --host/--port (TCP).
 *
 * Byte i of connection c's stream is pattern[(c * 7919 + i) % PERIOD]: a misplaced, lost or
 * repeated byte shows as a mismatch. Prints one JSON object on stdout; exits 1 on any error.
 * Build: cc -O2 -Wall -Wextra -o echo-client echo-client.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PERIOD 65521u            /* a prime, so the pattern does not line up with any write size */
#define READ_BUF 65536u
#define HIST_US 100000u          /* 1 us buckets up to 100 ms; slower ones land in the last bucket */
#define MAX_PENDING_CONNECTS 256 /* connects in flight at once, so a small backlog is not flooded */
#define MAX_CHURN_ERRORS 100

enum mode { PINGPONG, STREAM, CHURN, IDLE };
enum state { CONNECTING, ACTIVE, HELD, CLOSED };

struct conn {
  int fd;
  int idx;
  enum state state;
  uint64_t sent;       /* stream offset of the next byte to send */
  uint64_t recvd;      /* stream offset of the next byte expected back */
  uint64_t goal;       /* pingpong/churn/idle: offset that ends the current message */
  uint64_t t_start;    /* ns: start of the current round trip (churn: of the connect) */
  int wants_out;
};

static struct {
  enum mode mode;
  const char *host;
  int port;
  const char *unix_path;
  int connections;
  size_t size;
  size_t window;
  double duration;
  double warmup;
  uint64_t max_ops;
} opt = { PINGPONG, "127.0.0.1", 0, NULL, 1, 64, 0, 5.0, 0.0, UINT64_MAX };

static uint8_t *pattern;
static uint8_t rbuf[READ_BUF];
static uint32_t hist[HIST_US + 1];
static uint64_t hist_count, lat_max_ns;
static uint64_t ops, bytes_back, errors;
static int measuring;
static int epfd;
static int pending_connects;
static struct sockaddr_storage server;
static socklen_t server_len;
static volatile sig_atomic_t interrupted;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void fail(const char *what, int conn, uint64_t offset) {
  printf("{\"error\":\"%s\",\"connection\":%d,\"offset\":%llu,\"errno\":\"%s\"}\n", what, conn,
         (unsigned long long)offset, errno ? strerror(errno) : "");
  fflush(stdout);
  exit(1);
}

static const uint8_t *pattern_at(const struct conn *c, uint64_t offset) {
  return pattern + ((uint64_t)c->idx * 7919u + offset) % PERIOD;
}

static void record_latency(uint64_t ns) {
  if (!measuring) return;
  uint64_t us = ns / 1000u;
  hist[us < HIST_US ? us : HIST_US]++;
  hist_count++;
  if (ns > lat_max_ns) lat_max_ns = ns;
}

static uint64_t percentile(double p) {
  uint64_t want = (uint64_t)(p * (double)hist_count + 0.5), seen = 0;
  if (want == 0) want = 1;
  for (uint32_t us = 0; us <= HIST_US; us++) {
    seen += hist[us];
    if (seen >= want) return us;
  }
  return HIST_US;
}

static void set_events(struct conn *c, int out) {
  struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };
  if (c->wants_out == out) return;
  c->wants_out = out;
  if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) fail("epoll_ctl", c->idx, c->sent);
}

static void start_connect(struct conn *c) {
  int one = 1;
  c->fd = socket(server.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) fail("socket", c->idx, 0);
  if (server.ss_family == AF_INET) setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->state = CONNECTING;
  c->sent = c->recvd = c->goal = 0;
  c->t_start = now_ns();
  c->wants_out = 1;
  if (connect(c->fd, (struct sockaddr *)&server, server_len) < 0 && errno != EINPROGRESS) {
    fail("connect", c->idx, 0);
  }
  struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) fail("epoll_ctl add", c->idx, 0);
  pending_connects++;
}

/* Sends what the mode allows now; arms EPOLLOUT only while a write is held back by the kernel. */
static void pump_writes(struct conn *c) {
  for (;;) {
    uint64_t limit = opt.mode == STREAM ? c->recvd + opt.window : c->goal;
    if (c->sent >= limit) break;
    size_t want = (size_t)(limit - c->sent);
    size_t in_write = opt.size - (size_t)(c->sent % opt.size);
    if (want > in_write) want = in_write;
    ssize_t n = send(c->fd, pattern_at(c, c->sent), want, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        set_events(c, 1);
        return;
      }
      fail("send", c->idx, c->sent);
    }
    c->sent += (uint64_t)n;
  }
  set_events(c, 0);
}

static void begin_message(struct conn *c) {
  c->goal = c->sent + opt.size;
  if (opt.mode != CHURN) c->t_start = now_ns();
  pump_writes(c);
}

static void finish_connection(struct conn *c) {
  close(c->fd);
  c->fd = -1;
  c->state = CLOSED;
}

static void connected(struct conn *c) {
  int err = 0;
  socklen_t len = sizeof err;
  pending_connects--;
  if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err != 0) {
    errno = err;
    if (opt.mode != CHURN || ++errors > MAX_CHURN_ERRORS) fail("connect", c->idx, 0);
    finish_connection(c);
    return;
  }
  c->state = ACTIVE;
  c->wants_out = -1;
  set_events(c, 0);
  if (opt.mode == STREAM) pump_writes(c);
  else begin_message(c);
}

/* One message is back in full: count it and start what follows in this mode. */
static void message_done(struct conn *c) {
  uint64_t t = now_ns();
  if (measuring) ops++;
  record_latency(t - c->t_start);
  if (opt.mode == CHURN) finish_connection(c);
  else if (opt.mode == IDLE) c->state = HELD;
  else begin_message(c);
}

/* At most 16 reads per wake-up, so one busy stream cannot hold the loop past the deadline. */
static void pump_reads(struct conn *c) {
  for (int reads = 0; reads < 16; reads++) {
    ssize_t n = recv(c->fd, rbuf, READ_BUF, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      fail("recv", c->idx, c->recvd);
    }
    if (n == 0) {
      errno = 0;
      fail("server closed the connection", c->idx, c->recvd);
    }
    if (c->recvd + (uint64_t)n > c->sent) fail("echoed more bytes than were sent", c->idx, c->recvd);
    if (memcmp(rbuf, pattern_at(c, c->recvd), (size_t)n) != 0) {
      errno = 0;
      fail("echoed bytes differ from those sent", c->idx, c->recvd);
    }
    c->recvd += (uint64_t)n;
    if (measuring) bytes_back += (uint64_t)n;
    if (opt.mode == STREAM) {
      pump_writes(c);
    } else if (c->recvd == c->goal) {
      message_done(c);
      if (c->state != ACTIVE) return;
    }
    if ((size_t)n < READ_BUF) return;
  }
}

static void handle(struct conn *c, uint32_t events) {
  if (c->state == CONNECTING) {
    connected(c);
    return;
  }
  if (c->state == HELD) {
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
      errno = 0;
      fail("server sent or closed on an idle connection", c->idx, c->recvd);
    }
    return;
  }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) pump_reads(c);
  if (c->state == ACTIVE && (events & EPOLLOUT)) pump_writes(c);
}

static void parse_args(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--host")) opt.host = v;
    else if (!strcmp(k, "--port")) opt.port = atoi(v);
    else if (!strcmp(k, "--unix")) opt.unix_path = v;
    else if (!strcmp(k, "--connections")) opt.connections = atoi(v);
    else if (!strcmp(k, "--size")) opt.size = (size_t)strtoul(v, NULL, 10);
    else if (!strcmp(k, "--window")) opt.window = (size_t)strtoul(v, NULL, 10);
    else if (!strcmp(k, "--duration")) opt.duration = atof(v);
    else if (!strcmp(k, "--warmup")) opt.warmup = atof(v);
    else if (!strcmp(k, "--max-ops")) opt.max_ops = strtoull(v, NULL, 10);
    else if (!strcmp(k, "--mode")) {
      if (!strcmp(v, "pingpong")) opt.mode = PINGPONG;
      else if (!strcmp(v, "stream")) opt.mode = STREAM;
      else if (!strcmp(v, "churn")) opt.mode = CHURN;
      else if (!strcmp(v, "idle")) opt.mode = IDLE;
      else { fprintf(stderr, "echo-client: unknown mode %s\n", v); exit(2); }
    } else { fprintf(stderr, "echo-client: unknown option %s\n", k); exit(2); }
  }
  if ((opt.port <= 0 && opt.unix_path == NULL) || opt.connections <= 0 || opt.size == 0 || opt.size > READ_BUF || opt.duration <= 0) {
    fprintf(stderr, "usage: echo-client --port N|--unix PATH [--mode pingpong|stream|churn|idle] [--connections N] "
                    "[--size B<=65536] [--window B] [--duration S] [--warmup S] [--max-ops N]\n");
    exit(2);
  }
  if (opt.window < opt.size) opt.window = opt.size * 16;
}

static void make_pattern(void) {
  uint32_t x = 2463534242u;
  pattern = malloc(PERIOD + READ_BUF);
  if (pattern == NULL) fail("malloc", -1, 0);
  for (uint32_t i = 0; i < PERIOD + READ_BUF; i++) {
    if (i < PERIOD) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      pattern[i] = (uint8_t)(x >> 11);
    } else {
      pattern[i] = pattern[i - PERIOD];
    }
  }
}

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static int held_count(const struct conn *conns) {
  int held = 0;
  for (int i = 0; i < opt.connections; i++) held += conns[i].state == HELD;
  return held;
}

static void print_result(const struct conn *conns, double seconds) {
  printf("{\"mode\":\"%s\",\"connections\":%d,\"size\":%zu,\"seconds\":%.3f,\"ops\":%llu,"
         "\"opsPerSec\":%.1f,\"bytes\":%llu,\"mbPerSec\":%.2f,\"errors\":%llu,\"held\":%d,",
         (const char *[]){ "pingpong", "stream", "churn", "idle" }[opt.mode], opt.connections, opt.size,
         seconds, (unsigned long long)ops, (double)ops / seconds, (unsigned long long)bytes_back,
         (double)bytes_back / 1e6 / seconds, (unsigned long long)errors, held_count(conns));
  if (hist_count > 0 && opt.mode != STREAM) {
    printf("\"latencyUs\":{\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"max\":%llu}}\n",
           (unsigned long long)percentile(0.50), (unsigned long long)percentile(0.90),
           (unsigned long long)percentile(0.99), (unsigned long long)(lat_max_ns / 1000u));
  } else {
    printf("\"latencyUs\":null}\n");
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  parse_args(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  make_pattern();
  memset(&server, 0, sizeof server);
  if (opt.unix_path != NULL) {
    struct sockaddr_un *un = (struct sockaddr_un *)&server;
    if (strlen(opt.unix_path) >= sizeof un->sun_path) fail("--unix path too long", -1, 0);
    un->sun_family = AF_UNIX;
    strcpy(un->sun_path, opt.unix_path);
    server_len = (socklen_t)sizeof *un;
  } else {
    struct sockaddr_in *in = (struct sockaddr_in *)&server;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)opt.port);
    if (inet_pton(AF_INET, opt.host, &in->sin_addr) != 1) fail("bad --host (IPv4 only)", -1, 0);
    server_len = (socklen_t)sizeof *in;
  }
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) fail("epoll_create1", -1, 0);
  struct conn *conns = calloc((size_t)opt.connections, sizeof *conns);
  if (conns == NULL) fail("calloc", -1, 0);
  for (int i = 0; i < opt.connections; i++) {
    conns[i].idx = i;
    conns[i].fd = -1;
    conns[i].state = CLOSED;
  }
  int next_unopened = 0; /* the first connection not yet started (all modes but churn open each once) */
  struct epoll_event events[512];
  uint64_t start = now_ns(), t0 = start;
  uint64_t warm_end = start + (uint64_t)(opt.warmup * 1e9);
  uint64_t end = warm_end + (uint64_t)(opt.duration * 1e9);
  int announced = 0;
  measuring = opt.warmup <= 0;
  for (;;) {
    uint64_t t = now_ns();
    if (!measuring && t >= warm_end) {
      measuring = 1;
      t0 = t;
    }
    if (interrupted || t >= end || ops >= opt.max_ops) break;
    for (int i = 0; i < opt.connections && pending_connects < MAX_PENDING_CONNECTS; i++) {
      int k = opt.mode == CHURN ? i : next_unopened;
      if (k >= opt.connections) break;
      if (conns[k].state != CLOSED) continue;
      start_connect(&conns[k]);
      if (opt.mode != CHURN) next_unopened++;
    }
    if (opt.mode == IDLE && !announced && held_count(conns) == opt.connections) {
      fprintf(stderr, "held %d\n", opt.connections);
      announced = 1;
    }
    uint64_t left_ms = (end - t) / 1000000u + 1;
    int n = epoll_wait(epfd, events, 512, left_ms < 100 ? (int)left_ms : 100);
    if (n < 0 && errno != EINTR) fail("epoll_wait", -1, 0);
    for (int i = 0; i < n; i++) handle(events[i].data.ptr, events[i].events);
  }
  double seconds = (double)(now_ns() - t0) / 1e9;
  print_result(conns, seconds > 0 ? seconds : 1e-9);
  if (opt.mode == IDLE) return held_count(conns) == opt.connections ? 0 : 1;
  return errors > 0 || interrupted ? 1 : 0;
}
