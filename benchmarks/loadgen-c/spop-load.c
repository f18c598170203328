/*
 * spop-load: an independent SPOP (HAProxy SPOE) load generator — a fake HAProxy in C.
 *
 * Linux, epoll, one epoll loop per thread, each thread owning its share of the connections.
 * Closed loop: every connection keeps --inflight NOTIFYs outstanding (1 = unpipelined); each ACK
 * sends the next NOTIFY until the measured window ends, then the connections drain and close
 * with HAPROXY-DISCONNECT. NOTIFY payloads are encoded once; a NOTIFY costs its header (length,
 * type, flags, stream-id, frame-id) and a memcpy. All NOTIFYs queued while handling one wakeup of
 * a connection go out in one send().
 *
 * HELLO and ids follow the Java generator (io.spoavertx.testing.load.LoadOptions.HelloStyle):
 *   --hello 2.6: capabilities "pipelining,async", an engine-id; stream-id = a global stream counter
 *                from 0 shared by all connections (taken by threads in blocks), frame-id 1.
 *   --hello 3:   capabilities "pipelining", an engine-id; odd stream-ids per connection 1, 3, 5...,
 *                frame-id 1.
 * Each ACK must carry the stream-id and frame-id of a NOTIFY outstanding on its connection, FIN
 * flags and well-formed actions; anything else, an AGENT-DISCONNECT, a close by the agent, a
 * failed connect or HELLO, or a NOTIFY still unanswered after the drain counts as an error, and
 * the exit status is 1 when there was any.
 *
 * Also: `spop-load pin CPULIST CMD ARGS...` runs CMD with its CPU affinity set (taskset's job,
 * for machines without util-linux).
 *
 * Build: gcc -O2 -static -pthread -o spop-load spop-load.c   (see Makefile)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define T_HELLO 1
#define T_DISCONNECT 2
#define T_NOTIFY 3
#define T_AGENT_HELLO 101
#define T_AGENT_DISCONNECT 102
#define T_ACK 103
#define FLAG_FIN 1u

#define MAX_FRAME 16380u
#define IN_CAP (MAX_FRAME + 4 + 65536)
#define SID_BLOCK 256

/* ------------------------------------------------------------------------------------------ */
/* options */

static struct {
  char host[256];
  int ports[64];
  int nports;
  int connections;
  int inflight;
  int threads;
  double warmup_s, duration_s, drain_s;
  int hello3;
  const char *message;
  uint8_t ip[4];
  int ip_set;
  const char *json_file;
  const char *tsv_file;
  int watch_pids[64];
  int nwatch;
  int quiet;
} opt;

/* ------------------------------------------------------------------------------------------ */
/* encoding */

typedef struct {
  uint8_t *p;
  size_t len, cap;
} buf_t;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "spop-load: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

static void b_need(buf_t *b, size_t n) {
  if (b->len + n > b->cap) {
    size_t c = b->cap ? b->cap : 256;
    while (c < b->len + n) c *= 2;
    b->p = realloc(b->p, c);
    if (!b->p) die("out of memory");
    b->cap = c;
  }
}
static void b_u8(buf_t *b, uint8_t v) { b_need(b, 1); b->p[b->len++] = v; }
static void b_bytes(buf_t *b, const void *s, size_t n) { b_need(b, n); memcpy(b->p + b->len, s, n); b->len += n; }

/* HAProxy's varint (SPOP.md). Returns the number of bytes written to out (at most 10). */
static inline int varint_put(uint8_t *out, uint64_t i) {
  int n = 0;
  if (i < 240) { out[0] = (uint8_t)i; return 1; }
  out[n++] = (uint8_t)(i | 0xF0);
  i = (i - 240) >> 4;
  while (i >= 128) { out[n++] = (uint8_t)(i | 0x80); i = (i - 128) >> 7; }
  out[n++] = (uint8_t)i;
  return n;
}
static void b_varint(buf_t *b, uint64_t v) { b_need(b, 10); b->len += varint_put(b->p + b->len, v); }
static void b_str(buf_t *b, const char *s) { size_t n = strlen(s); b_varint(b, n); b_bytes(b, s, n); }
static void b_typed_str(buf_t *b, const char *s) { b_u8(b, 0x08); b_str(b, s); }
static void b_typed_ipv4(buf_t *b, uint8_t a, uint8_t c, uint8_t d, uint8_t e) {
  uint8_t ip[5] = {0x06, a, c, d, e};
  b_bytes(b, ip, 5);
}
static void b_typed_int64(buf_t *b, int64_t v) { b_u8(b, 0x04); b_varint(b, (uint64_t)v); }
static void b_typed_uint32(buf_t *b, uint32_t v) { b_u8(b, 0x03); b_varint(b, v); }
static void b_typed_bool(buf_t *b, int v) { b_u8(b, v ? 0x11 : 0x01); }

static void be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint32_t rd32(const uint8_t *p) { return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]; }

/* A whole frame with its length prefix. */
static void frame(buf_t *out, int type, uint64_t sid, uint64_t fid, const buf_t *payload) {
  size_t start = out->len;
  b_need(out, 4);
  out->len += 4;
  b_u8(out, (uint8_t)type);
  uint8_t fl[4];
  be32(fl, FLAG_FIN);
  b_bytes(out, fl, 4);
  b_varint(out, sid);
  b_varint(out, fid);
  if (payload) b_bytes(out, payload->p, payload->len);
  be32(out->p + start, (uint32_t)(out->len - start - 4));
}

static const char *PATH = "/api/v1/items/123456";
static const char *UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Fx/128";

/* The NOTIFY payload (one message) and its message name. */
static buf_t notify_payload;
static buf_t hello_frame_for(const char *engine_id) {
  buf_t kv = {0}, f = {0};
  b_str(&kv, "supported-versions"); b_typed_str(&kv, "2.0");
  b_str(&kv, "max-frame-size"); b_typed_uint32(&kv, MAX_FRAME);
  b_str(&kv, "capabilities"); b_typed_str(&kv, opt.hello3 ? "pipelining" : "pipelining,async");
  b_str(&kv, "engine-id"); b_typed_str(&kv, engine_id);
  frame(&f, T_HELLO, 0, 0, &kv);
  free(kv.p);
  return f;
}
static buf_t bye_frame;

static void build_payloads(void) {
  buf_t *b = &notify_payload;
  if (!strcmp(opt.message, "check-client-ip") || !strcmp(opt.message, "reputation")) {
    /* the client-reputation example (verticles-example ClientReputationVerticle): an address
       outside its allow (10.0.0.0/8) and deny (192.0.2.0/24) lists, so the full score path runs */
    b_str(b, "check-client-ip");
    b_u8(b, 3);
    if (!opt.ip_set) { opt.ip[0] = 198; opt.ip[1] = 51; opt.ip[2] = 100; opt.ip[3] = 7; }
    b_str(b, "ip"); b_typed_ipv4(b, opt.ip[0], opt.ip[1], opt.ip[2], opt.ip[3]);
    b_str(b, "path"); b_typed_str(b, PATH);
    b_str(b, "ua"); b_typed_str(b, UA);
  } else if (!strcmp(opt.message, "bench")) {
    /* LoadOptions.defaultMessage() */
    b_str(b, "bench");
    b_u8(b, 5);
    if (!opt.ip_set) { opt.ip[0] = 192; opt.ip[1] = 0; opt.ip[2] = 2; opt.ip[3] = 17; }
    b_str(b, "ip"); b_typed_ipv4(b, opt.ip[0], opt.ip[1], opt.ip[2], opt.ip[3]);
    b_str(b, "path"); b_typed_str(b, PATH);
    b_str(b, "ua"); b_typed_str(b, UA);
    b_str(b, "port"); b_typed_int64(b, 44321);
    b_str(b, "flag"); b_typed_bool(b, 1);
  } else {
    die("--message must be check-client-ip (alias reputation) or bench, not %s", opt.message);
  }
  buf_t kv = {0};
  b_str(&kv, "status-code"); b_typed_uint32(&kv, 0);
  b_str(&kv, "message"); b_typed_str(&kv, "load generator done");
  frame(&bye_frame, T_DISCONNECT, 0, 0, &kv);
  free(kv.p);
}

static void uuid(char out[37]) {
  uint8_t r[16];
  if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
    for (int i = 0; i < 16; i++) r[i] = (uint8_t)(rand() ^ (getpid() << i));
  }
  r[6] = (r[6] & 0x0F) | 0x40;
  r[8] = (r[8] & 0x3F) | 0x80;
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
           r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* ------------------------------------------------------------------------------------------ */
/* time, histogram */

static inline int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* log-linear: values < 128 exact, then 64 sub-buckets per power of two (≤ 1.6 % error) */
#define H_SUB 6
#define H_BUCKETS (128 + 58 * 64)
typedef struct {
  uint64_t c[H_BUCKETS];
  uint64_t count, max;
  double sum;
} hist_t;

static inline int h_index(uint64_t v) {
  if (v < 128) return (int)v;
  int msb = 63 - __builtin_clzll(v);
  int shift = msb - H_SUB;
  return 128 + (shift - 1) * 64 + (int)((v >> shift) - 64);
}
static double h_value(int i) { /* middle of bucket i */
  if (i < 128) return i;
  int shift = (i - 128) / 64 + 1;
  uint64_t top = (uint64_t)((i - 128) % 64 + 64);
  return (double)(top << shift) + (double)(1ULL << shift) / 2.0;
}
static inline void h_record(hist_t *h, uint64_t v) {
  h->c[h_index(v)]++;
  h->count++;
  h->sum += (double)v;
  if (v > h->max) h->max = v;
}
static double h_percentile(const hist_t *h, double p) {
  if (!h->count) return 0;
  uint64_t rank = (uint64_t)(p / 100.0 * (double)h->count + 0.999999);
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < H_BUCKETS; i++) {
    seen += h->c[i];
    if (seen >= rank) {
      double v = h_value(i);
      return v > (double)h->max ? (double)h->max : v;
    }
  }
  return (double)h->max;
}

/* ------------------------------------------------------------------------------------------ */
/* connections, threads */

enum { C_HELLO, C_READY, C_CLOSED };

typedef struct conn {
  int fd, idx, state, port;
  struct worker *w;
  uint8_t *in;
  size_t in_len;
  buf_t out;
  size_t out_off; /* bytes of out already sent */
  int want_out;
  /* in-flight slots */
  uint64_t *slot_sid;
  int64_t *slot_time;
  int *freel;
  int nfree;
  /* stream-id -> slot, open addressing */
  uint64_t *keys;
  int *vals;
  uint8_t *used;
  unsigned mask;
  uint64_t next_sid;
} conn_t;

typedef struct worker {
  int id;
  pthread_t th;
  int ep;
  conn_t *conns;
  int nconns;
  char engine_id[37];
  uint64_t sid_next, sid_end; /* 2.6: current block of the global stream counter */
  hist_t hist;
  uint64_t sent, acks, reads, writes, actions;
  uint64_t unknown_ids, malformed, disconnects, closes, connect_failures, hello_failures, unanswered;
  char first_error[256];
  int ready;
} worker_t;

static atomic_uint_fast64_t global_sid;
static int64_t t_start, t_measure, t_end, t_drain_end;
static pthread_barrier_t barrier;
static atomic_int first_error_taken;
static char first_error[256];

static void error(worker_t *w, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!w->first_error[0]) snprintf(w->first_error, sizeof w->first_error, "%s", msg);
  int expected = 0;
  if (atomic_compare_exchange_strong(&first_error_taken, &expected, 1)) {
    snprintf(first_error, sizeof first_error, "%s", msg);
    if (!opt.quiet) fprintf(stderr, "spop-load: first error: %s\n", msg);
  }
}

static unsigned hash_sid(uint64_t k) { return (unsigned)((k * 0x9E3779B97F4A7C15ULL) >> 40); }
static void map_put(conn_t *c, uint64_t k, int v) {
  unsigned i = hash_sid(k) & c->mask;
  while (c->used[i]) i = (i + 1) & c->mask;
  c->used[i] = 1;
  c->keys[i] = k;
  c->vals[i] = v;
}
/* removes k, returns its slot or -1 */
static int map_take(conn_t *c, uint64_t k) {
  unsigned i = hash_sid(k) & c->mask;
  while (1) {
    if (!c->used[i]) return -1;
    if (c->keys[i] == k) break;
    i = (i + 1) & c->mask;
  }
  int v = c->vals[i];
  unsigned j = i;
  while (1) { /* backward-shift deletion */
    j = (j + 1) & c->mask;
    if (!c->used[j]) break;
    unsigned h = hash_sid(c->keys[j]) & c->mask;
    int move = j > i ? (h <= i || h > j) : (h <= i && h > j);
    if (move) {
      c->keys[i] = c->keys[j];
      c->vals[i] = c->vals[j];
      i = j;
    }
  }
  c->used[i] = 0;
  return v;
}

static inline int inflight(const conn_t *c) { return opt.inflight - c->nfree; }

static inline uint64_t next_sid(conn_t *c) {
  if (opt.hello3) {
    uint64_t s = c->next_sid;
    c->next_sid += 2;
    return s;
  }
  worker_t *w = c->w;
  if (w->sid_next == w->sid_end) {
    w->sid_next = atomic_fetch_add(&global_sid, SID_BLOCK);
    w->sid_end = w->sid_next + SID_BLOCK;
  }
  return w->sid_next++;
}

/* queues one NOTIFY into c->out; 0 when no slot is free */
static inline int send_one(conn_t *c, int64_t now) {
  if (c->nfree == 0) return 0;
  int slot = c->freel[--c->nfree];
  uint64_t sid = next_sid(c);
  size_t plen = notify_payload.len;
  b_need(&c->out, 4 + 1 + 4 + 10 + 1 + plen);
  uint8_t *p = c->out.p + c->out.len;
  p[4] = T_NOTIFY;
  p[5] = 0; p[6] = 0; p[7] = 0; p[8] = 1; /* FIN */
  int n = varint_put(p + 9, sid);
  p[9 + n] = 1; /* frame-id */
  memcpy(p + 10 + n, notify_payload.p, plen);
  uint32_t flen = (uint32_t)(1 + 4 + n + 1 + plen);
  be32(p, flen);
  c->out.len += 4 + flen;
  c->slot_sid[slot] = sid;
  c->slot_time[slot] = now;
  map_put(c, sid, slot);
  if (now >= t_measure && now < t_end) c->w->sent++;
  return 1;
}

static void conn_close(conn_t *c) {
  if (c->state == C_CLOSED) return;
  epoll_ctl(c->w->ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->state = C_CLOSED;
}

static void flush(conn_t *c, int64_t now) {
  if (c->state != C_READY || c->out_off == c->out.len) return;
  while (c->out_off < c->out.len) {
    ssize_t n = send(c->fd, c->out.p + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c->out_off += (size_t)n;
      if (now >= t_measure && now < t_end) c->w->writes++;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c->want_out) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(c->w->ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->want_out = 1;
      }
      return;
    }
    if (n < 0 && errno == EINTR) continue;
    c->w->closes++;
    error(c->w, "connection %d: send: %s", c->idx, strerror(errno));
    conn_close(c);
    return;
  }
  c->out.len = c->out_off = 0;
  if (c->want_out) {
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(c->w->ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = 0;
  }
}

/* --- ACK parsing --- */

typedef struct {
  const uint8_t *p, *end;
  int bad;
} rd_t;
static inline uint64_t rd_varint(rd_t *r) {
  if (r->p >= r->end) { r->bad = 1; return 0; }
  uint64_t v = *r->p++;
  if (v < 240) return v;
  int shift = 4;
  for (int i = 1; i < 10; i++) {
    if (r->p >= r->end) { r->bad = 1; return 0; }
    uint64_t b = *r->p++;
    v += b << shift;
    shift += 7;
    if (b < 128) return v;
  }
  r->bad = 1;
  return 0;
}
static inline int rd_u8(rd_t *r) {
  if (r->p >= r->end) { r->bad = 1; return 0; }
  return *r->p++;
}
static inline void rd_skip(rd_t *r, uint64_t n) {
  if (n > (uint64_t)(r->end - r->p)) { r->bad = 1; r->p = r->end; } else r->p += n;
}
static void rd_typed(rd_t *r) {
  int t = rd_u8(r) & 0x0F;
  switch (t) {
  case 0: case 1: break;
  case 2: case 3: case 4: case 5: rd_varint(r); break;
  case 6: rd_skip(r, 4); break;
  case 7: rd_skip(r, 16); break;
  case 8: case 9: rd_skip(r, rd_varint(r)); break;
  default: r->bad = 1;
  }
}
/* the actions of an ACK: number, or -1 when malformed */
static int scan_actions(rd_t *r) {
  int n = 0;
  while (r->p < r->end && !r->bad) {
    int type = rd_u8(r), nb = rd_u8(r), scope = rd_u8(r);
    if (scope > 4) return -1;
    rd_skip(r, rd_varint(r));
    if (type == 1 && nb == 3) rd_typed(r);
    else if (!(type == 2 && nb == 2)) return -1;
    n++;
  }
  return r->bad ? -1 : n;
}

/* KV-LIST lookup of an integer or string value; returns 1 if found */
static int kv_find(const uint8_t *p, const uint8_t *end, const char *key, uint64_t *ival, char *sval, size_t scap) {
  rd_t r = {p, end, 0};
  size_t kl = strlen(key);
  while (r.p < r.end && !r.bad) {
    uint64_t nl = rd_varint(&r);
    if (r.bad || nl > (uint64_t)(r.end - r.p)) return 0;
    const uint8_t *name = r.p;
    r.p += nl;
    const uint8_t *vstart = r.p;
    int t = rd_u8(&r) & 0x0F;
    int match = nl == kl && !memcmp(name, key, kl);
    if (match && t >= 2 && t <= 5 && ival) { *ival = rd_varint(&r); return !r.bad; }
    if (match && t == 8 && sval) {
      uint64_t sl = rd_varint(&r);
      if (r.bad || sl > (uint64_t)(r.end - r.p)) return 0;
      size_t n = sl < scap - 1 ? sl : scap - 1;
      memcpy(sval, r.p, n);
      sval[n] = 0;
      return 1;
    }
    r.p = vstart;
    rd_typed(&r);
  }
  return 0;
}

static void on_disconnect(conn_t *c, const uint8_t *payload, const uint8_t *end) {
  uint64_t status = 99;
  char msg[200] = "";
  kv_find(payload, end, "status-code", &status, NULL, 0);
  kv_find(payload, end, "message", NULL, msg, sizeof msg);
  c->w->disconnects++;
  error(c->w, "connection %d: AGENT-DISCONNECT status %" PRIu64 " '%s'", c->idx, status, msg);
  conn_close(c);
}

/* Parses complete frames from c->in. Returns 0 normally, -1 when the connection was closed. */
static int parse_input(conn_t *c, int64_t now) {
  worker_t *w = c->w;
  size_t pos = 0;
  int measured = now >= t_measure && now < t_end;
  while (c->in_len - pos >= 4) {
    uint32_t flen = rd32(c->in + pos);
    if (flen < 7 || flen > MAX_FRAME) {
      w->malformed++;
      error(w, "connection %d: frame length %u out of range", c->idx, flen);
      conn_close(c);
      return -1;
    }
    if (c->in_len - pos - 4 < flen) break;
    const uint8_t *f = c->in + pos + 4;
    const uint8_t *end = f + flen;
    pos += 4 + flen;
    int type = f[0];
    uint32_t flags = rd32(f + 1);
    rd_t r = {f + 5, end, 0};
    uint64_t sid = rd_varint(&r), fid = rd_varint(&r);
    if (r.bad) {
      w->malformed++;
      error(w, "connection %d: frame header runs past its end", c->idx);
      conn_close(c);
      return -1;
    }
    if (type == T_ACK && c->state == C_READY) {
      int slot = fid == 1 ? map_take(c, sid) : -1;
      if (slot < 0) {
        w->unknown_ids++;
        error(w, "connection %d: ACK for stream-id %" PRIu64 " frame-id %" PRIu64 " not outstanding", c->idx, sid, fid);
        continue;
      }
      c->freel[c->nfree++] = slot;
      int na = scan_actions(&r);
      if (na < 0 || flags != FLAG_FIN) {
        w->malformed++;
        error(w, "connection %d: malformed ACK for stream-id %" PRIu64, c->idx, sid);
      } else if (measured) {
        w->acks++;
        w->actions += (uint64_t)na;
        int64_t lat = now - c->slot_time[slot];
        h_record(&w->hist, lat < 0 ? 0 : (uint64_t)lat);
      }
      if (now < t_end) send_one(c, now);
    } else if (type == T_AGENT_DISCONNECT) {
      on_disconnect(c, r.p, end);
      return -1;
    } else {
      w->malformed++;
      error(w, "connection %d: unexpected frame type %d", c->idx, type);
      conn_close(c);
      return -1;
    }
  }
  if (pos > 0) {
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
  }
  return 0;
}

static void on_readable(conn_t *c, int64_t now) {
  worker_t *w = c->w;
  for (;;) {
    ssize_t n = recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, MSG_DONTWAIT);
    if (n > 0) {
      if (now >= t_measure && now < t_end) w->reads++;
      c->in_len += (size_t)n;
      size_t room = IN_CAP - (c->in_len - (size_t)n);
      if (parse_input(c, now) < 0) return;
      if ((size_t)n < room) break; /* the socket had less than the room: drained (level-triggered epoll reports more) */
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    /* closed by the agent or reset */
    w->closes++;
    error(w, "connection %d closed by the agent (%s)", c->idx, n == 0 ? "EOF" : strerror(errno));
    conn_close(c);
    return;
  }
  flush(c, now);
}

/* blocking connect + HELLO exchange; leaves the socket non-blocking in epoll. 0 on success */
static int conn_open(conn_t *c) {
  worker_t *w = c->w;
  struct sockaddr_storage ss;
  socklen_t sl;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
  const char *host = strcmp(opt.host, "localhost") ? opt.host : "127.0.0.1";
  if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)c->port);
    sl = sizeof *a4;
  } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)c->port);
    sl = sizeof *a6;
  } else {
    w->connect_failures++;
    error(w, "connection %d: --host must be a numeric IPv4/IPv6 address or localhost, not %s", c->idx, opt.host);
    return -1;
  }
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0) {
    w->connect_failures++;
    error(w, "connection %d: connect %s:%d: %s", c->idx, opt.host, c->port, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->fd = fd;
  buf_t hello = hello_frame_for(w->engine_id);
  ssize_t s = send(fd, hello.p, hello.len, MSG_NOSIGNAL);
  free(hello.p);
  if (s != (ssize_t)hello.len) {
    w->hello_failures++;
    error(w, "connection %d: HELLO send failed", c->idx);
    close(fd);
    return -1;
  }
  int64_t deadline = now_ns() + 5000000000LL;
  while (1) {
    if (c->in_len >= 4) {
      uint32_t flen = rd32(c->in);
      if (flen < 7 || flen > MAX_FRAME) break;
      if (c->in_len >= 4 + flen) {
        const uint8_t *f = c->in + 4, *end = f + flen;
        rd_t r = {f + 5, end, 0};
        rd_varint(&r);
        rd_varint(&r);
        if (f[0] == T_AGENT_DISCONNECT) {
          w->disconnects++;
          uint64_t status = 99;
          char msg[200] = "";
          kv_find(r.p, end, "status-code", &status, NULL, 0);
          kv_find(r.p, end, "message", NULL, msg, sizeof msg);
          error(w, "connection %d: AGENT-DISCONNECT during HELLO: status %" PRIu64 " '%s'", c->idx, status, msg);
          close(fd);
          c->state = C_CLOSED;
          return -1;
        }
        uint64_t mfs = 0;
        char version[32] = "";
        if (f[0] != T_AGENT_HELLO || r.bad || !kv_find(r.p, end, "max-frame-size", &mfs, NULL, 0) || mfs < 256 ||
            mfs > MAX_FRAME || !kv_find(r.p, end, "version", NULL, version, sizeof version)) {
          break;
        }
        memmove(c->in, c->in + 4 + flen, c->in_len - 4 - flen);
        c->in_len -= 4 + flen;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev);
        c->state = C_READY;
        return 0;
      }
    }
    int64_t left = deadline - now_ns();
    if (left <= 0) break;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int pr = poll(&pfd, 1, (int)(left / 1000000) + 1);
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) break;
    ssize_t n = recv(fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
    if (n <= 0) break;
    c->in_len += (size_t)n;
  }
  w->hello_failures++;
  error(w, "connection %d: no valid AGENT-HELLO within 5 s", c->idx);
  close(fd);
  c->state = C_CLOSED;
  return -1;
}

static void *worker_main(void *arg) {
  worker_t *w = arg;
  w->ep = epoll_create1(EPOLL_CLOEXEC);
  if (w->ep < 0) die("epoll_create1: %s", strerror(errno));
  for (int i = 0; i < w->nconns; i++) {
    if (conn_open(&w->conns[i]) == 0) w->ready++;
  }
  pthread_barrier_wait(&barrier); /* HELLOs done */
  pthread_barrier_wait(&barrier); /* times set */
  int64_t now = now_ns();
  for (int i = 0; i < w->nconns; i++) {
    conn_t *c = &w->conns[i];
    if (c->state != C_READY) continue;
    while (send_one(c, now)) {
    }
    flush(c, now);
  }
  struct epoll_event evs[256];
  int draining = 0;
  while (1) {
    now = now_ns();
    if (now >= t_end) {
      if (!draining) draining = 1;
      int busy = 0;
      for (int i = 0; i < w->nconns; i++)
        if (w->conns[i].state == C_READY && inflight(&w->conns[i]) > 0) busy = 1;
      if (!busy || now >= t_drain_end) break;
    }
    int64_t until = now < t_end ? t_end : t_drain_end;
    int64_t wait_ms = (until - now) / 1000000 + 1;
    if (wait_ms > 100) wait_ms = 100;
    int n = epoll_wait(w->ep, evs, 256, (int)wait_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait: %s", strerror(errno));
    }
    now = now_ns();
    for (int i = 0; i < n; i++) {
      conn_t *c = evs[i].data.ptr;
      if (c->state != C_READY) continue;
      if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c, now);
      else if (evs[i].events & EPOLLOUT) flush(c, now);
    }
  }
  for (int i = 0; i < w->nconns; i++) {
    conn_t *c = &w->conns[i];
    if (c->state != C_READY) continue;
    if (inflight(c) > 0) {
      w->unanswered += (uint64_t)inflight(c);
      error(w, "connection %d: %d NOTIFY(s) unanswered %.1f s after the end", c->idx, inflight(c), opt.drain_s);
    }
    send(c->fd, bye_frame.p, bye_frame.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    conn_close(c);
  }
  close(w->ep);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* CPU of this process and of watched ones */

static int64_t self_cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + (int64_t)ru.ru_stime.tv_sec * 1000000 +
         ru.ru_stime.tv_usec;
}

/* utime and stime of a process in clock ticks (/proc/PID/stat fields 14, 15); 0 if unreadable */
static int proc_ticks(int pid, uint64_t *ut, uint64_t *st) {
  char path[64], b[2048];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t n = fread(b, 1, sizeof b - 1, f);
  fclose(f);
  b[n] = 0;
  char *p = strrchr(b, ')');
  if (!p) return 0;
  p += 2; /* field 3 */
  unsigned long long u = 0, s = 0;
  for (int field = 3; field < 14 && p; field++) {
    p = strchr(p, ' ');
    if (p) p++;
  }
  if (!p || sscanf(p, "%llu %llu", &u, &s) != 2) return 0;
  *ut = u;
  *st = s;
  return 1;
}

static void watched_ticks(uint64_t *ut, uint64_t *st, int *ok) {
  *ut = *st = 0;
  *ok = 1;
  for (int i = 0; i < opt.nwatch; i++) {
    uint64_t u, s;
    if (proc_ticks(opt.watch_pids[i], &u, &s)) { *ut += u; *st += s; } else *ok = 0;
  }
}

static void sleep_until(int64_t t) {
  while (1) {
    int64_t left = t - now_ns();
    if (left <= 0) return;
    struct timespec ts = {left / 1000000000LL, left % 1000000000LL};
    nanosleep(&ts, NULL);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* pin subcommand */

static int parse_cpulist(const char *s, cpu_set_t *set) {
  CPU_ZERO(set);
  char *dup = strdup(s), *save, *tok;
  int n = 0;
  for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    int a, b;
    if (sscanf(tok, "%d-%d", &a, &b) == 2) {
    } else if (sscanf(tok, "%d", &a) == 1) b = a;
    else { free(dup); return -1; }
    for (int i = a; i <= b; i++) { CPU_SET(i, set); n++; }
  }
  free(dup);
  return n;
}

static int pin_main(int argc, char **argv) {
  if (argc < 4) die("usage: spop-load pin CPULIST CMD [ARGS...]");
  cpu_set_t set;
  if (parse_cpulist(argv[2], &set) <= 0) die("bad CPU list %s", argv[2]);
  if (sched_setaffinity(0, sizeof set, &set) < 0) die("sched_setaffinity %s: %s", argv[2], strerror(errno));
  execvp(argv[3], argv + 3);
  die("exec %s: %s", argv[3], strerror(errno));
  return 127;
}

/* ------------------------------------------------------------------------------------------ */
/* main */

static double parse_duration(const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (end == s) die("bad duration %s", s);
  if (!strcmp(end, "ms")) return v / 1000.0;
  if (!strcmp(end, "s") || !*end) return v;
  if (!strcmp(end, "m")) return v * 60;
  die("bad duration %s", s);
  return 0;
}

static int parse_int_list(const char *s, int *out, int max) {
  int n = 0;
  char *dup = strdup(s), *save, *tok;
  for (tok = strtok_r(dup, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save)) out[n++] = atoi(tok);
  free(dup);
  return n;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: spop-load --port P[,P2...] [--host 127.0.0.1] [--connections 8] [--inflight 20] [--threads 1]\n"
          "                 [--warmup 2s] [--duration 4s] [--drain 2s] [--hello 2.6|3]\n"
          "                 [--message check-client-ip|bench] [--ip A.B.C.D] [--json FILE] [--tsv FILE] [--watch-pid PID[,PID...]] [--quiet]\n"
          "       spop-load pin CPULIST CMD [ARGS...]   (run CMD with that CPU affinity, like taskset -c)\n"
          "  closed loop: each connection keeps --inflight NOTIFYs outstanding (1 = unpipelined); connections are\n"
          "  spread over the threads (one epoll loop each) and over the ports. --watch-pid: also report those\n"
          "  processes' user+kernel CPU over the measured window (/proc/PID/stat). Exit 1 on any error.\n"
          "  messages: check-client-ip (default; ip 198.51.100.7, path, ua: the reputation example's full score path)\n"
          "  or bench (LoadOptions.defaultMessage(): ip 192.0.2.17, path, ua, port, flag); --ip replaces the address.\n"
          "  --tsv appends: msgs_per_s acks errors p50_us p99_us p999_us gen_cpu_us_per_ack watched_user_us\n"
          "  watched_sys_us measured_s\n");
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "pin")) return pin_main(argc, argv);
  snprintf(opt.host, sizeof opt.host, "127.0.0.1");
  opt.connections = 8;
  opt.inflight = 20;
  opt.threads = 1;
  opt.warmup_s = 2;
  opt.duration_s = 4;
  opt.drain_s = 2;
  opt.message = "check-client-ip";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (die("%s needs a value", a), ""))
    if (!strcmp(a, "--host")) snprintf(opt.host, sizeof opt.host, "%s", ARG());
    else if (!strcmp(a, "--port")) opt.nports = parse_int_list(ARG(), opt.ports, 64);
    else if (!strcmp(a, "--connections")) opt.connections = atoi(ARG());
    else if (!strcmp(a, "--inflight")) opt.inflight = atoi(ARG());
    else if (!strcmp(a, "--threads")) opt.threads = atoi(ARG());
    else if (!strcmp(a, "--warmup")) opt.warmup_s = parse_duration(ARG());
    else if (!strcmp(a, "--duration")) opt.duration_s = parse_duration(ARG());
    else if (!strcmp(a, "--drain")) opt.drain_s = parse_duration(ARG());
    else if (!strcmp(a, "--hello")) {
      const char *h = ARG();
      if (!strcmp(h, "2.6") || !strcmp(h, "2")) opt.hello3 = 0;
      else if (!strcmp(h, "3") || !strncmp(h, "3.", 2)) opt.hello3 = 1;
      else die("--hello must be 2.6 or 3, not %s", h);
    } else if (!strcmp(a, "--message")) opt.message = ARG();
    else if (!strcmp(a, "--ip")) {
      const char *v = ARG();
      if (inet_pton(AF_INET, v, opt.ip) != 1) die("--ip must be an IPv4 address, not %s", v);
      opt.ip_set = 1;
    }
    else if (!strcmp(a, "--json")) opt.json_file = ARG();
    else if (!strcmp(a, "--tsv")) opt.tsv_file = ARG();
    else if (!strcmp(a, "--watch-pid")) opt.nwatch = parse_int_list(ARG(), opt.watch_pids, 64);
    else if (!strcmp(a, "--quiet")) opt.quiet = 1;
    else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
    else { usage(stderr); die("unknown argument %s", a); }
  }
  if (opt.nports < 1 || opt.ports[0] <= 0) { usage(stderr); die("--port is required"); }
  if (opt.connections < 1 || opt.inflight < 1 || opt.threads < 1 || opt.duration_s <= 0 || opt.warmup_s < 0)
    die("connections, inflight and threads must be >= 1, duration > 0, warmup >= 0");
  if (opt.threads > opt.connections) opt.threads = opt.connections;
  signal(SIGPIPE, SIG_IGN);
  build_payloads();

  worker_t **ws = calloc((size_t)opt.threads, sizeof *ws);
  char run_engine[37];
  uuid(run_engine);
  for (int t = 0; t < opt.threads; t++) {
    worker_t *w = aligned_alloc(64, (sizeof(worker_t) + 63) / 64 * 64);
    memset(w, 0, sizeof *w);
    w->id = t;
    /* 2.6: one engine-id per generator thread (HAProxy 2.6 has one per thread); 3: one per run */
    if (opt.hello3) memcpy(w->engine_id, run_engine, 37);
    else uuid(w->engine_id);
    w->nconns = opt.connections / opt.threads + (t < opt.connections % opt.threads);
    w->conns = calloc((size_t)w->nconns, sizeof(conn_t));
    ws[t] = w;
  }
  unsigned cap = 16;
  while (cap < (unsigned)opt.inflight * 4) cap <<= 1;
  for (int i = 0; i < opt.connections; i++) {
    worker_t *w = ws[i % opt.threads];
    conn_t *c = &w->conns[i / opt.threads];
    c->idx = i;
    c->w = w;
    c->fd = -1;
    c->state = C_HELLO;
    c->port = opt.ports[i % opt.nports];
    c->in = malloc(IN_CAP);
    b_need(&c->out, (size_t)opt.inflight * (notify_payload.len + 24) + 64);
    c->slot_sid = calloc((size_t)opt.inflight, sizeof(uint64_t));
    c->slot_time = calloc((size_t)opt.inflight, sizeof(int64_t));
    c->freel = calloc((size_t)opt.inflight, sizeof(int));
    for (int s = 0; s < opt.inflight; s++) c->freel[s] = opt.inflight - 1 - s;
    c->nfree = opt.inflight;
    c->keys = calloc(cap, sizeof(uint64_t));
    c->vals = calloc(cap, sizeof(int));
    c->used = calloc(cap, 1);
    c->mask = cap - 1;
    c->next_sid = 1;
  }

  if (!opt.quiet) {
    char ports[512] = "";
    for (int i = 0; i < opt.nports; i++)
      snprintf(ports + strlen(ports), sizeof ports - strlen(ports), "%s%d", i ? "," : "", opt.ports[i]);
    fprintf(stderr,
            "spop-load: %s:%s, %d connection(s) x %d in flight, %d thread(s), hello %s, message %s (%zu B NOTIFY "
            "payload), warm-up %.2f s, measured %.2f s\n",
            opt.host, ports, opt.connections, opt.inflight, opt.threads, opt.hello3 ? "3" : "2.6", opt.message,
            notify_payload.len, opt.warmup_s, opt.duration_s);
  }
  pthread_barrier_init(&barrier, NULL, (unsigned)opt.threads + 1);
  for (int t = 0; t < opt.threads; t++) pthread_create(&ws[t]->th, NULL, worker_main, ws[t]);
  pthread_barrier_wait(&barrier);
  int ready = 0;
  for (int t = 0; t < opt.threads; t++) ready += ws[t]->ready;
  t_start = now_ns();
  t_measure = t_start + (int64_t)(opt.warmup_s * 1e9);
  t_end = t_measure + (int64_t)(opt.duration_s * 1e9);
  t_drain_end = t_end + (int64_t)(opt.drain_s * 1e9);
  if (ready == 0) t_end = t_drain_end = t_measure = t_start; /* nothing to do: workers exit at once */
  if (!opt.quiet) fprintf(stderr, "spop-load: %d of %d connection(s) ready\n", ready, opt.connections);
  pthread_barrier_wait(&barrier);

  uint64_t u0 = 0, s0 = 0, u1 = 0, s1 = 0;
  int wok0 = 1, wok1 = 1;
  sleep_until(t_measure);
  int64_t cpu0 = self_cpu_us();
  watched_ticks(&u0, &s0, &wok0);
  sleep_until(t_end);
  int64_t cpu1 = self_cpu_us();
  watched_ticks(&u1, &s1, &wok1);
  for (int t = 0; t < opt.threads; t++) pthread_join(ws[t]->th, NULL);

  hist_t *h = calloc(1, sizeof *h);
  uint64_t sent = 0, acks = 0, reads = 0, writes = 0, actions = 0, unknown = 0, malformed = 0, disc = 0, closes = 0,
           cfail = 0, hfail = 0, unanswered = 0;
  for (int t = 0; t < opt.threads; t++) {
    worker_t *w = ws[t];
    for (int i = 0; i < H_BUCKETS; i++) h->c[i] += w->hist.c[i];
    h->count += w->hist.count;
    h->sum += w->hist.sum;
    if (w->hist.max > h->max) h->max = w->hist.max;
    sent += w->sent; acks += w->acks; reads += w->reads; writes += w->writes; actions += w->actions;
    unknown += w->unknown_ids; malformed += w->malformed; disc += w->disconnects; closes += w->closes;
    cfail += w->connect_failures; hfail += w->hello_failures; unanswered += w->unanswered;
  }
  uint64_t errors = unknown + malformed + disc + closes + cfail + hfail + unanswered;
  double secs = opt.duration_s;
  double mps = ready ? (double)acks / secs : 0; /* one message per NOTIFY */
  double p50 = h_percentile(h, 50) / 1000, p90 = h_percentile(h, 90) / 1000, p99 = h_percentile(h, 99) / 1000,
         p999 = h_percentile(h, 99.9) / 1000;
  double gen_cpu = acks ? (double)(cpu1 - cpu0) / (double)acks : 0;
  double gen_pct = (double)(cpu1 - cpu0) / (secs * 1e4);
  long hz = sysconf(_SC_CLK_TCK);
  double wu = (double)(u1 - u0) * 1e6 / (double)hz, wsys = (double)(s1 - s0) * 1e6 / (double)hz;
  int wok = opt.nwatch > 0 && wok0 && wok1;

  printf("spop-load: %.0f msgs/s (%" PRIu64 " ACKs in %.2f s, %.1f ACKs/read), p50 %.0f us, p99 %.0f us, p99.9 %.0f us, "
         "max %.0f us, errors %" PRIu64 ", generator CPU %.3f us/ACK (%.0f %%)",
         mps, acks, secs, reads ? (double)acks / (double)reads : 0, p50, p99, p999, (double)h->max / 1000, errors,
         gen_cpu, gen_pct);
  if (wok)
    printf(", watched CPU %.3f + %.3f us/msg (%.0f %%)", acks ? wu / (double)acks : 0, acks ? wsys / (double)acks : 0,
           (wu + wsys) / (secs * 1e4));
  printf("\n");
  fflush(stdout);
  if (errors && !opt.quiet)
    fprintf(stderr,
            "spop-load: errors: unknown ids %" PRIu64 ", malformed %" PRIu64 ", agent disconnects %" PRIu64
            ", closes %" PRIu64 ", connect failures %" PRIu64 ", hello failures %" PRIu64 ", unanswered %" PRIu64
            "; first: %s\n",
            unknown, malformed, disc, closes, cfail, hfail, unanswered, first_error);

  if (opt.json_file) {
    FILE *f = strcmp(opt.json_file, "-") ? fopen(opt.json_file, "w") : stdout;
    if (!f) die("cannot write %s: %s", opt.json_file, strerror(errno));
    char esc[600];
    size_t k = 0;
    for (const char *p = first_error; *p && k < sizeof esc - 8; p++) {
      if (*p == '"' || *p == '\\') esc[k++] = '\\';
      esc[k++] = (*p >= 0 && *p < 32) ? ' ' : *p;
    }
    esc[k] = 0;
    fprintf(f,
            "{\"tool\":\"spop-load\",\"host\":\"%s\",\"port\":%d,\"ports\":%d,\"connections\":%d,\"inflight\":%d,"
            "\"threads\":%d,\"hello\":\"%s\",\"message\":\"%s\",\"warmupSeconds\":%.3f,\"measuredSeconds\":%.3f,"
            "\"messagesPerSecond\":%.1f,\"acksPerSecond\":%.1f,\"notifiesSent\":%" PRIu64 ",\"acks\":%" PRIu64
            ",\"messages\":%" PRIu64 ",\"actions\":%" PRIu64 ",\"reads\":%" PRIu64 ",\"writes\":%" PRIu64
            ",\"cpuMicrosPerAck\":%.4f,\"cpuPercent\":%.1f,"
            "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p99.9\":%.1f,\"max\":%.1f,\"mean\":%.1f,"
            "\"count\":%" PRIu64 "},",
            opt.host, opt.ports[0], opt.nports, opt.connections, opt.inflight, opt.threads, opt.hello3 ? "3" : "2.6",
            opt.message, opt.warmup_s, secs, mps, mps, sent, acks, acks, actions, reads, writes, gen_cpu, gen_pct, p50,
            p90, p99, p999, (double)h->max / 1000, h->count ? h->sum / (double)h->count / 1000 : 0, h->count);
    if (wok)
      fprintf(f,
              "\"watched\":{\"pids\":%d,\"userMicros\":%.0f,\"systemMicros\":%.0f,\"cpuMicrosPerMessage\":%.4f,"
              "\"userMicrosPerMessage\":%.4f,\"systemMicrosPerMessage\":%.4f,\"cpuPercent\":%.1f},",
              opt.nwatch, wu, wsys, acks ? (wu + wsys) / (double)acks : 0, acks ? wu / (double)acks : 0,
              acks ? wsys / (double)acks : 0, (wu + wsys) / (secs * 1e4));
    fprintf(f,
            "\"errors\":{\"total\":%" PRIu64 ",\"unknownIds\":%" PRIu64 ",\"malformed\":%" PRIu64
            ",\"agentDisconnects\":%" PRIu64 ",\"connectionCloses\":%" PRIu64 ",\"connectFailures\":%" PRIu64
            ",\"helloFailures\":%" PRIu64 ",\"unanswered\":%" PRIu64 ",\"first\":%s%s%s}}\n",
            errors, unknown, malformed, disc, closes, cfail, hfail, unanswered, first_error[0] ? "\"" : "",
            first_error[0] ? esc : "null", first_error[0] ? "\"" : "");
    if (f != stdout) fclose(f);
  }
  if (opt.tsv_file) {
    FILE *f = fopen(opt.tsv_file, "a");
    if (!f) die("cannot write %s: %s", opt.tsv_file, strerror(errno));
    fprintf(f, "%.0f\t%" PRIu64 "\t%" PRIu64 "\t%.0f\t%.0f\t%.0f\t%.4f\t%.0f\t%.0f\t%.3f\n", mps, acks, errors, p50, p99,
            p999, gen_cpu, wok ? wu : -1.0, wok ? wsys : -1.0, secs);
    fclose(f);
  }
  return errors || ready == 0 ? 1 : 0;
}
