/*
 * epoll-echo-server: the ceiling of the echo rig. A plain level-triggered epoll loop in C that echoes
 * every byte, so bench/echo.ts can show the load client is not the bottleneck. Not a general server.
 * A write the kernel only partly takes is kept and reading stops until it is out (backpressure).
 * Prints "listening on 127.0.0.1:<port>" once accepting; exits 0 on SIGTERM or SIGINT.
 * Build: cc -O2 -Wall -Wextra -o epoll-echo-server epoll-echo-server.c
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include <unistd.h>

#define BUF 65536

struct conn {
  int fd;
  size_t pending_off, pending_len; /* unsent echo bytes in buf */
  uint8_t *buf;
};

static volatile sig_atomic_t stopping;
static uint8_t rbuf[BUF];

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static void watch(int epfd, int op, struct conn *c, uint32_t events) {
  struct epoll_event ev = { .events = events, .data.ptr = c };
  if (epoll_ctl(epfd, op, c->fd, &ev) < 0) perror("epoll_ctl");
}

static void drop(struct conn *c) {
  close(c->fd);
  free(c->buf);
  free(c);
}

/* Sends what is pending; returns 1 when all of it is out, 0 when the kernel is full, -1 on error. */
static int flush_pending(struct conn *c) {
  while (c->pending_len > 0) {
    ssize_t n = send(c->fd, c->buf + c->pending_off, c->pending_len, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    c->pending_off += (size_t)n;
    c->pending_len -= (size_t)n;
  }
  return 1;
}

static void on_readable(int epfd, struct conn *c) {
  for (;;) {
    ssize_t n = recv(c->fd, rbuf, BUF, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      drop(c);
      return;
    }
    if (n < 0) return;
    ssize_t w = send(c->fd, rbuf, (size_t)n, MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      drop(c);
      return;
    }
    size_t sent = w < 0 ? 0 : (size_t)w;
    if (sent < (size_t)n) {
      if (c->buf == NULL && (c->buf = malloc(BUF)) == NULL) {
        drop(c);
        return;
      }
      memcpy(c->buf, rbuf + sent, (size_t)n - sent);
      c->pending_off = 0;
      c->pending_len = (size_t)n - sent;
      watch(epfd, EPOLL_CTL_MOD, c, EPOLLOUT);
      return;
    }
    if (n < BUF) return;
  }
}

static void on_writable(int epfd, struct conn *c) {
  int r = flush_pending(c);
  if (r < 0) drop(c);
  else if (r > 0) watch(epfd, EPOLL_CTL_MOD, c, EPOLLIN);
}

static void accept_all(int epfd, int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) perror("accept4");
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
      close(fd);
      return;
    }
    c->fd = fd;
    watch(epfd, EPOLL_CTL_ADD, c, EPOLLIN);
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR and the loop ends */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, SOMAXCONN) < 0 ||
      getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) {
    perror("epoll-echo-server: listen");
    return 1;
  }
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  struct conn listener = { .fd = lfd };
  watch(epfd, EPOLL_CTL_ADD, &listener, EPOLLIN);
  printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  struct epoll_event events[512];
  while (!stopping) {
    int n = epoll_wait(epfd, events, 512, -1);
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if (c == &listener) accept_all(epfd, lfd);
      else if (events[i].events & EPOLLOUT) on_writable(epfd, c);
      else on_readable(epfd, c);
    }
  }
  return 0;
}
