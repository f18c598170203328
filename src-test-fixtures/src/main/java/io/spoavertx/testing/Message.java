package io.spoavertx.testing;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One SPOE message of a NOTIFY frame: a name and up to 255 named, typed arguments.
 *
 * <p>Immutable: every {@code arg(...)} returns a new message, so a base message can be shared.
 * The untyped overloads pick what HAProxy sends: integers as INT64, strings as STRING, bytes as
 * BINARY, addresses as IPV4/IPV6, {@code null} as NULL.
 * <pre>{@code
 * Message.of("check-client-ip").arg("ip", TypedValue.ipv4("127.0.0.1")).arg("path", "/")
 * }</pre>
 */
public final class Message {

  /** One named argument; an unnamed argument has the empty name. */
  public record Arg(String name, TypedValue value) {
    /**
     * Checks that neither is null.
     *
     * @param name  the argument name, empty if unnamed
     * @param value the typed value
     */
    public Arg {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  private final String name;
  private final List<Arg> args;

  private Message(String name, List<Arg> args) {
    this.name = Objects.requireNonNull(name, "name");
    this.args = args;
  }

  /**
   * A message with no arguments.
   *
   * @param name the message name
   * @return the message
   */
  public static Message of(String name) {
    return new Message(name, List.of());
  }

  /**
   * A message with the given arguments.
   *
   * @param name the message name
   * @param args the arguments, at most 255
   * @return the message
   * @throws IllegalArgumentException if there are more than 255 arguments
   */
  public static Message of(String name, List<Arg> args) {
    if (args.size() > 255) {
      throw new IllegalArgumentException("a SPOE message holds at most 255 arguments");
    }
    return new Message(name, List.copyOf(args));
  }

  /**
   * Adds an argument with an explicit type.
   *
   * @param name  the argument name, empty if unnamed
   * @param value the typed value
   * @return a new message with the argument appended
   * @throws IllegalArgumentException if the message already has 255 arguments
   */
  public Message arg(String name, TypedValue value) {
    if (args.size() == 255) {
      throw new IllegalArgumentException("a SPOE message holds at most 255 arguments");
    }
    List<Arg> copy = new ArrayList<>(args.size() + 1);
    copy.addAll(args);
    copy.add(new Arg(name, value));
    return new Message(this.name, Collections.unmodifiableList(copy));
  }

  /**
   * Adds a STRING argument (NULL if {@code value} is null).
   *
   * @param name  the argument name, empty if unnamed
   * @param value the value
   * @return a new message with the argument appended
   */
  public Message arg(String name, String value) {
    return arg(name, TypedValue.string(value));
  }

  /**
   * Adds an INT64 argument, as HAProxy sends every integer sample.
   *
   * @param name  the argument name, empty if unnamed
   * @param value the value
   * @return a new message with the argument appended
   */
  public Message arg(String name, long value) {
    return arg(name, TypedValue.int64(value));
  }

  /**
   * Adds a BOOL argument.
   *
   * @param name  the argument name, empty if unnamed
   * @param value the value
   * @return a new message with the argument appended
   */
  public Message arg(String name, boolean value) {
    return arg(name, TypedValue.bool(value));
  }

  /**
   * Adds an IPV4 or IPV6 argument (NULL if {@code value} is null).
   *
   * @param name  the argument name, empty if unnamed
   * @param value the address
   * @return a new message with the argument appended
   */
  public Message arg(String name, InetAddress value) {
    return arg(name, value == null ? TypedValue.nil() : TypedValue.ip(value));
  }

  /**
   * Adds a BINARY argument (NULL if {@code value} is null).
   *
   * @param name  the argument name, empty if unnamed
   * @param value the bytes
   * @return a new message with the argument appended
   */
  public Message arg(String name, byte[] value) {
    return arg(name, TypedValue.binary(value));
  }

  /** {@return the message name} */
  public String name() {
    return name;
  }

  /** {@return the arguments, in order (unmodifiable)} */
  public List<Arg> args() {
    return args;
  }

  /**
   * The value of the first argument with that name.
   *
   * @param argName the argument name
   * @return its value, or null if there is none
   */
  public TypedValue get(String argName) {
    for (Arg a : args) {
      if (a.name().equals(argName)) {
        return a.value();
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m && m.name.equals(name) && m.args.equals(args);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + args.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(args.get(i).name()).append('=').append(args.get(i).value());
    }
    return sb.append(')').toString();
  }
}
