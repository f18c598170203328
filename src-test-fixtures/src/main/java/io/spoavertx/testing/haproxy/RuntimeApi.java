package io.spoavertx.testing.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** A client of HAProxy's runtime API on its stats socket: one command per connection. */
final class RuntimeApi {

  /** A server's row of {@code show stat}: status, last check result (without {@code *}) and its description. */
  record StatRow(String status, String checkStatus, String checkDesc) {}

  private final Path socket;

  RuntimeApi(Path socket) {
    this.socket = socket;
  }

  /**
   * Sends one command and reads the answer until HAProxy closes the connection.
   *
   * @throws HaproxyException if the socket cannot be reached or answers too slowly (5 s)
   */
  String command(String command) {
    ConfigChecks.checkLine("command", command);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap((command.strip() + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(16 * 1024);
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new HaproxyException("runtime API did not answer '" + command + "' within 5 s");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n;
        while ((n = ch.read(in)) > 0) {
          answer.write(in.array(), 0, in.position());
          in.clear();
        }
        if (n < 0) {
          return answer.toString(StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new HaproxyException("runtime API at " + socket + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@return the server's row of {@code show stat}}
   *
   * @throws HaproxyException if the answer is not a stat CSV or has no such server
   */
  StatRow serverRow(String backend, String server) {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(server, "server");
    String csv = command("show stat");
    String[] lines = csv.split("\n");
    if (lines.length == 0 || !lines[0].startsWith("# ")) {
      throw new HaproxyException("unexpected 'show stat' answer: " + csv);
    }
    List<String> header = List.of(lines[0].substring(2).split(",", -1));
    int px = header.indexOf("pxname");
    int sv = header.indexOf("svname");
    int st = header.indexOf("status");
    int cs = header.indexOf("check_status");
    int cd = header.indexOf("check_desc");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      if (f.length > Math.max(sv, px) && f[px].equals(backend) && f[sv].equals(server)) {
        String check = cs >= 0 && cs < f.length ? f[cs].replace("*", "").strip() : "";
        String desc = cd >= 0 && cd < f.length ? f[cd].strip() : "";
        return new StatRow(f[st], check, desc);
      }
    }
    throw new HaproxyException("no server " + backend + "/" + server + " in 'show stat'");
  }
}
