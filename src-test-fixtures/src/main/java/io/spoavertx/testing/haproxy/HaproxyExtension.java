package io.spoavertx.testing.haproxy;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running a real haproxy for a test class or each test.
 *
 * <p>On a {@code static} field it runs one haproxy for the whole class; on an instance field, one
 * per test. With {@link #manual()} you call {@link #start(HaproxyConfig)} yourself (e.g. in
 * {@code @BeforeAll} once your agent listens); the extension stops it after the test (if started
 * during a test) or after the class. When a test fails, haproxy's config and log are printed to
 * stderr.
 *
 * <p>If no haproxy binary is found the test is skipped, unless the environment variable
 * {@code CI} is {@code true}: then it fails ("haproxy binary not found; CI requires it").
 *
 * <pre>{@code
 * @RegisterExtension
 * static HaproxyExtension haproxy = HaproxyExtension.manual();
 *
 * @BeforeAll
 * static void start() {
 *   int agentPort = ...; // your agent, listening
 *   haproxy.start(HaproxyConfig.builder()
 *       .agent("127.0.0.1", agentPort).agentHealthCheck(true)
 *       .message(SpoeMessageSection.onRequest("check", "ip=src"))
 *       .exposeVar("txn.spoa.score", "X-Score")
 *       .build());
 *   haproxy.process().awaitAgentsUp(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class HaproxyExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  private final Supplier<HaproxyConfig> config;
  private HaproxyBinary binary;
  private HaproxyProcess process;
  private boolean startedInTest;
  private boolean classScoped;
  private boolean inTest;

  private HaproxyExtension(Supplier<HaproxyConfig> config) {
    this.config = config;
  }

  /**
   * An extension that starts haproxy with the supplied config before the class (static field) or each test.
   *
   * @param config supplies the configuration at each start
   * @return the extension
   */
  public static HaproxyExtension withConfig(Supplier<HaproxyConfig> config) {
    return new HaproxyExtension(Objects.requireNonNull(config, "config"));
  }

  /**
   * An extension that starts haproxy with this config before the class (static field) or each test.
   *
   * @param config the configuration
   * @return the extension
   */
  public static HaproxyExtension withConfig(HaproxyConfig config) {
    Objects.requireNonNull(config, "config");
    return new HaproxyExtension(() -> config);
  }

  /** {@return an extension that starts nothing by itself: call {@link #start(HaproxyConfig)}} */
  public static HaproxyExtension manual() {
    return new HaproxyExtension(null);
  }

  /**
   * Starts haproxy (stopping the one this extension runs, if any).
   *
   * @param config the configuration
   * @return the running haproxy
   * @throws org.opentest4j.TestAbortedException if haproxy is missing and {@code CI} is not true
   * @throws HaproxyException if haproxy is missing on CI, or fails to start
   */
  public HaproxyProcess start(HaproxyConfig config) {
    Objects.requireNonNull(config, "config");
    HaproxyBinary b = binary();
    stop();
    process = HaproxyProcess.start(b, config);
    startedInTest = inTest;
    return process;
  }

  /**
   * {@return the running haproxy}
   *
   * @throws IllegalStateException if none is running
   */
  public HaproxyProcess process() {
    if (process == null) {
      throw new IllegalStateException("haproxy is not started");
    }
    return process;
  }

  /** {@return the haproxy binary in use (looked up once)} Skips or fails the test as described above if missing. */
  public HaproxyBinary binary() {
    if (binary == null) {
      binary = requireBinary(HaproxyBinary.find(), System.getenv("CI"));
    }
    return binary;
  }

  /** {@return the frontend's base URL} Shortcut for {@code process().httpUrl()}. */
  public URI httpUrl() {
    return process().httpUrl();
  }

  /**
   * {@return a frontend URL for the path} Shortcut for {@code process().httpUrl(path)}.
   *
   * @param path starts with {@code /}; may hold a query
   */
  public URI httpUrl(String path) {
    return process().httpUrl(path);
  }

  /** {@return the frontend port} Shortcut for {@code process().frontendPort()}. */
  public int frontendPort() {
    return process().frontendPort();
  }

  /** {@return everything haproxy printed so far} Shortcut for {@code process().log()}. */
  public String log() {
    return process().log();
  }

  /** Stops haproxy if running. */
  public void stop() {
    HaproxyProcess p = process;
    process = null;
    if (p != null) {
      p.stop();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    classScoped = true;
    if (config != null) {
      start(config.get());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    inTest = true;
    if (config != null && !classScoped) {
      start(config.get());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    inTest = false;
    dumpOnFailure(context);
    if (process != null && (startedInTest || !classScoped)) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    dumpOnFailure(context);
    stop();
    classScoped = false;
  }

  private void dumpOnFailure(ExtensionContext context) {
    if (process == null || context.getExecutionException().isEmpty()) {
      return;
    }
    HaproxyProcess p = process;
    StringBuilder b = new StringBuilder()
        .append("===== haproxy (").append(context.getDisplayName()).append(" failed): ").append(p)
        .append(p.isAlive() ? "" : " [EXITED]").append(" =====\n")
        .append("--- haproxy.cfg ---\n").append(p.rendered().haproxyCfg());
    if (p.rendered().hasSpoe()) {
      b.append("--- spoe.conf ---\n").append(p.rendered().spoeConf());
    }
    b.append("--- log ---\n").append(p.log()).append("\n===== end of haproxy =====");
    System.err.println(b);
  }

  /** Returns the binary, or skips (not on CI) / fails (CI=true) the test. */
  static HaproxyBinary requireBinary(Optional<HaproxyBinary> found, String ciEnv) {
    if (found.isPresent()) {
      return found.get();
    }
    String where = HaproxyBinary.searchDescription();
    if ("true".equalsIgnoreCase(ciEnv == null ? null : ciEnv.strip())) {
      throw new HaproxyException("haproxy binary not found; CI requires it (" + where + ")");
    }
    Assumptions.abort("haproxy binary not found, skipping (" + where + ")");
    throw new AssertionError("unreachable");
  }
}
