package io.spoavertx.testing.haproxy;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HAProxy version as printed by {@code haproxy -v}, e.g. {@code 2.6.12}.
 *
 * @param major major version (2 in 2.6.12)
 * @param minor minor version (6 in 2.6.12)
 * @param patch patch version (12 in 2.6.12; 0 for development builds such as {@code 3.2-dev5})
 */
public record HaproxyVersion(int major, int minor, int patch) implements Comparable<HaproxyVersion> {

  private static final Pattern VERSION =
      Pattern.compile("HA-?Proxy version (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /**
   * Validates the components.
   *
   * @param major major version
   * @param minor minor version
   * @param patch patch version
   * @throws IllegalArgumentException if a component is negative
   */
  public HaproxyVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("negative version component: " + major + "." + minor + "." + patch);
    }
  }

  /**
   * Returns the version {@code major.minor.patch}.
   *
   * @param major major version
   * @param minor minor version
   * @param patch patch version
   * @return the version
   */
  public static HaproxyVersion of(int major, int minor, int patch) {
    return new HaproxyVersion(major, minor, patch);
  }

  /**
   * Parses the output of {@code haproxy -v} (its first line is enough), e.g.
   * {@code HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/}.
   *
   * @param haproxyVOutput the output of {@code haproxy -v}
   * @return the version
   * @throws IllegalArgumentException if no version is found
   */
  public static HaproxyVersion parse(String haproxyVOutput) {
    Objects.requireNonNull(haproxyVOutput, "haproxyVOutput");
    Matcher m = VERSION.matcher(haproxyVOutput);
    if (!m.find()) {
      throw new IllegalArgumentException("no HAProxy version found in: " + firstLine(haproxyVOutput));
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new HaproxyVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
  }

  /**
   * {@return true for HAProxy 3.1 and later, where SPOE runs over the {@code spop} multiplexer}
   * The agent backend is {@code mode spop} and {@code timeout hello/idle}, {@code maxconnrate},
   * {@code max-waiting-frames} and {@code option async} are gone.
   */
  public boolean isSpopMux() {
    return isAtLeast(3, 1);
  }

  /**
   * Whether this version is {@code major.minor} or later.
   *
   * @param major major version
   * @param minor minor version
   * @return true if this version is at least {@code major.minor}
   */
  public boolean isAtLeast(int major, int minor) {
    return this.major > major || (this.major == major && this.minor >= minor);
  }

  @Override
  public int compareTo(HaproxyVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
