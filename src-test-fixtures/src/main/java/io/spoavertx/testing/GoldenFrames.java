package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames captured from real HAProxy builds, shipped as classpath resources
 * ({@code io/spoavertx/testing/golden/NAME.hex}, {@code hexdump -C} format with a {@code #} comment
 * header describing the frame). Each holds one whole frame including its 4-byte length prefix.
 */
public final class GoldenFrames {

  private static final String DIR = "/io/spoavertx/testing/golden/";

  private static final List<String> NAMES = List.of(
      "haproxy-2.6.12-haproxy-hello",
      "haproxy-2.6.12-notify",
      "haproxy-2.6.12-notify-all-types",
      "haproxy-3.2.0-haproxy-hello",
      "haproxy-3.2.0-notify",
      "haproxy-3.4.0-haproxy-hello",
      "haproxy-3.4.0-notify",
      "haproxy-3.4.0-notify-all-types",
      "haproxy-healthcheck-hello");

  private GoldenFrames() {
  }

  /** {@return the names of all golden frames, e.g. {@code "haproxy-2.6.12-notify"}} */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The raw bytes of a golden frame (length prefix included).
   *
   * @param name one of {@link #names()}
   * @return the frame's bytes
   * @throws IllegalArgumentException if there is no golden frame of that name
   */
  public static Buffer load(String name) {
    return parseHexdump(text(name));
  }

  /**
   * The {@code #} comment lines of a golden frame (without the leading {@code "# "}): its decoded description.
   *
   * @param name one of {@link #names()}
   * @return the comment lines, in order
   * @throws IllegalArgumentException if there is no golden frame of that name
   */
  public static List<String> comments(String name) {
    List<String> out = new ArrayList<>();
    for (String line : text(name).split("\\R")) {
      if (line.startsWith("#")) {
        out.add(line.replaceFirst("^# ?", ""));
      }
    }
    return out;
  }

  /**
   * Parses {@code hexdump -C} output: offset, hex bytes, optional {@code |ascii|} column; lines
   * starting with {@code #} and blank lines are ignored; a final offset-only line must equal the length.
   *
   * @param text the hexdump
   * @return the bytes it describes
   * @throws IllegalArgumentException if an offset or a byte is malformed or out of place
   */
  public static Buffer parseHexdump(String text) {
    Buffer out = Buffer.buffer();
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int bar = line.indexOf('|');
      String hex = bar >= 0 ? line.substring(0, bar) : line;
      String[] tokens = hex.trim().split("\\s+");
      long offset = Long.parseLong(tokens[0], 16);
      if (offset != out.length()) {
        throw new IllegalArgumentException("hexdump offset " + tokens[0] + " but " + out.length() + " bytes read");
      }
      for (int i = 1; i < tokens.length; i++) {
        if (tokens[i].length() != 2) {
          throw new IllegalArgumentException("bad hexdump byte '" + tokens[i] + "' in: " + raw);
        }
        out.appendByte((byte) Integer.parseInt(tokens[i], 16));
      }
    }
    return out;
  }

  private static String text(String name) {
    try (InputStream in = GoldenFrames.class.getResourceAsStream(DIR + name + ".hex")) {
      if (in == null) {
        throw new IllegalArgumentException("no golden frame named '" + name + "'; known: " + NAMES);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
