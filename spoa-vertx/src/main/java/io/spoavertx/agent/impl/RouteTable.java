package io.spoavertx.agent.impl;

import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    this(options, directHandlers, Map.of());
  }

  /** {@code directSpecs}: the declarations of the direct handlers that have one, by message name. */
  RouteTable(DispatchOptions options, Map<String, SpoeHandler> directHandlers, Map<String, MessageSpec> directSpecs) {
    this.options = options;
    for (Map.Entry<String, RouteOptions> e : options.routes().entrySet()) {
      put(withSpec(configured(e.getKey(), e.getValue(), directHandlers.get(e.getKey())), directSpecs));
    }
    for (Map.Entry<String, SpoeHandler> e : directHandlers.entrySet()) {
      if (!options.routes().containsKey(e.getKey())) {
        put(withSpec(new Route(e.getKey(), e.getValue(), null, options.deadlineMs()), directSpecs));
      }
    }
  }

  private static Route withSpec(Route r, Map<String, MessageSpec> directSpecs) {
    MessageSpec spec = directSpecs.get(r.name);
    if (r.direct != null && spec != null) {
      r.drift = new DriftCheck(spec);
    }
    return r;
  }

  private Route configured(String name, RouteOptions r, SpoeHandler direct) {
    long deadline = r.deadlineMs() != null ? r.deadlineMs() : options.deadlineMs();
    String address = r.address() != null ? r.address() : options.addressPrefix() + name;
    // an explicit address sends the message over the event bus even if a direct handler exists
    return new Route(name, r.address() != null ? null : direct, address, deadline);
  }

  /** The route of the message name in {@code len} bytes at index {@code off} of {@code a}. */
  Route lookup(byte[] a, int off, int len) {
    int h = hash(a, off, len);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Route r = slots[i];
      if (r == null) {
        break;
      }
      if (r.hash == h && Arrays.equals(r.nameBytes, 0, r.nameBytes.length, a, off, off + len)) {
        return r;
      }
    }
    String name = new String(a, off, len, StandardCharsets.UTF_8);
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

  private static int hash(byte[] a, int off, int len) {
    int h = 1;
    for (int i = 0; i < len; i++) {
      h = 31 * h + a[off + i];
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16);
  }
}
