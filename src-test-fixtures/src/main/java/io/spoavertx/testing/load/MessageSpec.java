package io.spoavertx.testing.load;

import io.spoavertx.testing.Message;
import io.spoavertx.testing.TypedValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the command line's message descriptions into {@link Message}s with generated values.
 *
 * <p>{@code NAME:ARG=TYPE[:SIZE],ARG=TYPE...}; TYPE is one of null, bool, int32, uint32, int64,
 * uint64, ipv4, ipv6, string[:SIZE] (SIZE bytes of text, default 16), binary[:SIZE]. Several
 * messages in one NOTIFY are joined with {@code +}, e.g.
 * {@code bench:ip=ipv4,path=string:20,ua=string:60,port=int64,flag=bool}. {@code NAME} alone (or
 * {@code NAME:}) is a message without arguments.
 */
public final class MessageSpec {

  private MessageSpec() {
  }

  /**
   * Parses the messages of one NOTIFY, joined with {@code +}.
   *
   * @param spec the description
   * @return the messages
   * @throws IllegalArgumentException if the description is malformed
   */
  public static List<Message> parseNotify(String spec) {
    List<Message> out = new ArrayList<>();
    for (String m : spec.split("\\+")) {
      out.add(parseMessage(m.strip()));
    }
    return out;
  }

  /**
   * Parses one message, {@code NAME:ARG=TYPE[:SIZE],...}.
   *
   * @param spec the description
   * @return the message
   * @throws IllegalArgumentException if the description is malformed
   */
  public static Message parseMessage(String spec) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("message without a name: " + spec);
    }
    Message m = Message.of(name);
    if (colon < 0 || colon == spec.length() - 1) {
      return m;
    }
    int n = 0;
    for (String arg : spec.substring(colon + 1).split(",")) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("argument '" + arg + "' must be NAME=TYPE[:SIZE]");
      }
      String[] type = arg.substring(eq + 1).split(":");
      int size = type.length > 1 ? Integer.parseInt(type[1]) : 16;
      m = m.arg(arg.substring(0, eq), value(type[0].toLowerCase(), size, n++));
    }
    return m;
  }

  private static TypedValue value(String type, int size, int n) {
    return switch (type) {
      case "null" -> TypedValue.nil();
      case "bool" -> TypedValue.bool(true);
      case "int32" -> TypedValue.int32(1000 + n);
      case "uint32" -> TypedValue.uint32(100000 + n);
      case "int64" -> TypedValue.int64(44321 + n);
      case "uint64" -> TypedValue.uint64(1L << 40);
      case "ipv4" -> TypedValue.ipv4("192.0.2." + (17 + n));
      case "ipv6" -> TypedValue.ipv6("2001:db8::" + (17 + n));
      case "string", "str" -> TypedValue.string(text(size));
      case "binary", "bin" -> {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0xA5);
        yield TypedValue.binary(b);
      }
      default -> throw new IllegalArgumentException("unknown type '" + type
          + "': null, bool, int32, uint32, int64, uint64, ipv4, ipv6, string[:N], binary[:N]");
    };
  }

  private static String text(int size) {
    String pattern = "/abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(size);
    for (int i = 0; i < size; i++) {
      sb.append(pattern.charAt(i % pattern.length()));
    }
    return sb.toString();
  }
}
