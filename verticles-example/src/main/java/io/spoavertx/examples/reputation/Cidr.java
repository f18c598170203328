package io.spoavertx.examples.reputation;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network, e.g. {@code 192.0.2.0/24} or {@code 2001:db8::/32}. */
record Cidr(byte[] network, int prefix, String text) {

  static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    try {
      byte[] addr = InetAddress.getByName(slash < 0 ? s : s.substring(0, slash)).getAddress();
      int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(s.substring(slash + 1));
      if (prefix < 0 || prefix > addr.length * 8) {
        throw new IllegalArgumentException("prefix out of range in '" + text + "'");
      }
      return new Cidr(addr, prefix, s);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR network: '" + text + "'", e);
    }
  }

  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (a[full] & mask) == (network[full] & mask);
  }
}
