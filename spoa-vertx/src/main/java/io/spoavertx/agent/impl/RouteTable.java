package io.spoavertx.agent.impl;

import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * Message name to {@link Route}, looked up from the name's bytes in the frame so the hot path
 * creates no String. Names not configured get a default event-bus route, remembered up to a bound.
 * One table per event loop (verticle instance): not thread-safe.
 */
final class RouteTable {

  private static final int MAX_LEARNED = 4096;

  private final DispatchOptions options;
  private Route[] slots = new Route[64];
  private int size;

  RouteTable(DispatchOptions options, Map<String, SpoeHandler> directHandlers) {
    this.options = options;
    for (Map.Entry<String, RouteOptions> e : options.routes().entrySet()) {
      put(configured(e.getKey(), e.getValue(), directHandlers.get(e.getKey())));
    }
    for (Map.Entry<String, SpoeHandler> e : directHandlers.entrySet()) {
      if (!options.routes().containsKey(e.getKey())) {
        put(new Route(e.getKey(), e.getValue(), null, options.deadlineMs()));
      }
    }
  }

  private Route configured(String name, RouteOptions r, SpoeHandler direct) {
    long deadline = r.deadlineMs() != null ? r.deadlineMs() : options.deadlineMs();
    String address = r.address() != null ? r.address() : options.addressPrefix() + name;
    // an explicit address sends the message over the event bus even if a direct handler exists
    return new Route(name, r.address() != null ? null : direct, address, deadline);
  }

  Route lookup(Buffer buf, int off, int len) {
    int h = hash(buf, off, len);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Route r = slots[i];
      if (r == null) {
        break;
      }
      if (r.hash == h && equals(r.nameBytes, buf, off, len)) {
        return r;
      }
    }
    String name = buf.getString(off, off + len, "UTF-8");
    Route learned = new Route(name, null, options.addressPrefix() + name, options.deadlineMs());
    if (size < MAX_LEARNED) {
      put(learned);
    }
    return learned;
  }

  private void put(Route r) {
    if ((size + 1) * 2 > slots.length) {
      Route[] old = slots;
      slots = new Route[old.length * 2];
      size = 0;
      for (Route o : old) {
        if (o != null) {
          put(o);
        }
      }
    }
    int mask = slots.length - 1;
    int i = r.hash & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = r;
    size++;
  }

  static int hash(byte[] b) {
    int h = 1;
    for (byte x : b) {
      h = 31 * h + x;
    }
    return mix(h);
  }

  private static int hash(Buffer buf, int off, int len) {
    int h = 1;
    for (int i = 0; i < len; i++) {
      h = 31 * h + buf.getByte(off + i);
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }

  private static boolean equals(byte[] name, Buffer buf, int off, int len) {
    if (name.length != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (name[i] != buf.getByte(off + i)) {
        return false;
      }
    }
    return true;
  }
}
