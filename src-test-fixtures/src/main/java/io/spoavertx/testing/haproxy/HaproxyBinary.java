package io.spoavertx.testing.haproxy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The haproxy executable and its version.
 *
 * <p>Lookup order: system property {@value #PROPERTY}, environment variable {@value #ENV}, the
 * {@code PATH}, then {@code /usr/sbin/haproxy}. An explicit property or variable that does not name
 * an executable file is not silently replaced by another binary: the lookup then finds nothing.
 */
public final class HaproxyBinary {

  /** System property naming the haproxy executable. */
  public static final String PROPERTY = "haproxy.binary";
  /** Environment variable naming the haproxy executable. */
  public static final String ENV = "HAPROXY_BINARY";

  private static final Path DEFAULT = Path.of("/usr/sbin/haproxy");

  private final Path path;
  private final HaproxyVersion version;
  private final String versionOutput;

  private HaproxyBinary(Path path, HaproxyVersion version, String versionOutput) {
    this.path = path;
    this.version = version;
    this.versionOutput = versionOutput;
  }

  /**
   * Finds haproxy (see the class comment) and runs {@code haproxy -v}.
   *
   * @return the binary, or empty if none is found
   * @throws HaproxyException if a binary is found but {@code haproxy -v} fails or prints no version
   */
  public static Optional<HaproxyBinary> find() {
    return locate().map(HaproxyBinary::at);
  }

  /**
   * Like {@link #find()} but throws if no binary is found.
   *
   * @return the binary
   * @throws HaproxyException if haproxy is not found or does not run
   */
  public static HaproxyBinary require() {
    return find().orElseThrow(() -> new HaproxyException("haproxy binary not found; " + searchDescription()));
  }

  /**
   * Uses the given executable and runs {@code haproxy -v} on it.
   *
   * @param executable the haproxy executable
   * @return the binary
   * @throws HaproxyException if it does not run or prints no version
   */
  public static HaproxyBinary at(Path executable) {
    Objects.requireNonNull(executable, "executable");
    String out;
    try {
      Process p = new ProcessBuilder(executable.toString(), "-v").redirectErrorStream(true).start();
      p.getOutputStream().close();
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new HaproxyException(executable + " -v did not exit within 10 s");
      }
      if (p.exitValue() != 0) {
        throw new HaproxyException(executable + " -v exited with " + p.exitValue() + ": " + out.strip());
      }
    } catch (IOException e) {
      throw new HaproxyException("cannot run " + executable + " -v: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HaproxyException("interrupted while running " + executable + " -v", e);
    }
    try {
      return new HaproxyBinary(executable, HaproxyVersion.parse(out), out.strip());
    } catch (IllegalArgumentException e) {
      throw new HaproxyException(executable + " -v printed no HAProxy version: " + out.strip(), e);
    }
  }

  /** {@return the executable} */
  public Path path() {
    return path;
  }

  /** {@return the version reported by {@code haproxy -v}} */
  public HaproxyVersion version() {
    return version;
  }

  /** {@return the full output of {@code haproxy -v}} */
  public String versionOutput() {
    return versionOutput;
  }

  /** {@return true for HAProxy 3.1+ (SPOE over the {@code spop} multiplexer)} See {@link HaproxyVersion#isSpopMux()}. */
  public boolean isSpopMux() {
    return version.isSpopMux();
  }

  @Override
  public String toString() {
    return "haproxy " + version + " (" + path + ")";
  }

  /** Where the lookup found an executable, without running it. */
  static Optional<Path> locate() {
    String explicit = explicitSetting();
    if (explicit != null) {
      Path p = Path.of(explicit);
      return isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String pathEnv = System.getenv("PATH");
    if (pathEnv != null) {
      for (String dir : pathEnv.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, "haproxy");
          if (isExecutable(p)) {
            return Optional.of(p);
          }
        }
      }
    }
    return isExecutable(DEFAULT) ? Optional.of(DEFAULT) : Optional.empty();
  }

  /** Describes what the lookup looked at, for error messages. */
  static String searchDescription() {
    List<String> parts = new ArrayList<>();
    String prop = System.getProperty(PROPERTY);
    String env = System.getenv(ENV);
    if (prop != null && !prop.isBlank()) {
      parts.add("-D" + PROPERTY + "=" + prop + " is not an executable file");
    } else if (env != null && !env.isBlank()) {
      parts.add(ENV + "=" + env + " is not an executable file");
    } else {
      parts.add("looked at -D" + PROPERTY + ", $" + ENV + ", the PATH and " + DEFAULT);
    }
    parts.add("install haproxy (e.g. apt-get install haproxy) or set -D" + PROPERTY + " / $" + ENV);
    return String.join("; ", parts);
  }

  private static String explicitSetting() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return prop.strip();
    }
    String env = System.getenv(ENV);
    return env != null && !env.isBlank() ? env.strip() : null;
  }

  private static boolean isExecutable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
