package io.spoavertx.testing.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A running haproxy child process, started from a {@link HaproxyConfig}.
 *
 * <p>{@link #start} writes {@code haproxy.cfg} and {@code spoe.conf} into a new temporary
 * directory, checks them with {@code haproxy -c}, runs {@code haproxy -f haproxy.cfg -db} in the
 * foreground, collects its output in {@link #log()} and waits until the frontend accepts TCP
 * connections. {@link #stop()} ends only this process (by its PID) and deletes the directory.
 *
 * <pre>{@code
 * try (HaproxyProcess haproxy = HaproxyProcess.start(config)) {
 *   haproxy.awaitServerUp(HaproxyConfig.AGENT_BACKEND, "agent1", Duration.ofSeconds(5));
 *   HttpResponse<String> r = http.send(HttpRequest.newBuilder(haproxy.httpUrl("/")).build(), ofString());
 * }
 * }</pre>
 */
public final class HaproxyProcess implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int LOG_LIMIT = 4 * 1024 * 1024;
  private static final int SOCKET_PATH_LIMIT = 100;
  private static final Set<String> CHECK_OK = Set.of("L4OK", "L6OK", "L7OK");

  private final HaproxyBinary binary;
  private final HaproxyConfig config;
  private final HaproxyConfig.Rendered rendered;
  private final Path workDir;
  private final int port;
  private final HaproxyLog log;
  private final RuntimeApi runtime;
  private final Process process;
  private final Thread pump;
  private final Thread shutdownHook;
  private volatile boolean stopped;

  private HaproxyProcess(HaproxyBinary binary, HaproxyConfig config, HaproxyConfig.Rendered rendered,
      Path workDir, int port, HaproxyLog log, Process process, Thread pump) {
    this.binary = binary;
    this.config = config;
    this.rendered = rendered;
    this.workDir = workDir;
    this.port = port;
    this.log = log;
    this.runtime = new RuntimeApi(workDir.resolve("admin.sock"));
    this.process = process;
    this.pump = pump;
    this.shutdownHook = new Thread(this::stopQuietly, "haproxy-" + process.pid() + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts haproxy found by {@link HaproxyBinary#require()}.
   *
   * @param config the configuration
   * @return the running haproxy
   * @throws HaproxyException if haproxy is missing, rejects the configuration (the message holds
   *     haproxy's output) or does not accept connections within {@link HaproxyConfig#startTimeout()}
   */
  public static HaproxyProcess start(HaproxyConfig config) {
    return start(HaproxyBinary.require(), config);
  }

  /**
   * Starts the given haproxy binary with the configuration.
   *
   * @param binary the haproxy executable
   * @param config the configuration
   * @return the running haproxy
   * @throws HaproxyException as {@link #start(HaproxyConfig)}
   */
  public static HaproxyProcess start(HaproxyBinary binary, HaproxyConfig config) {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(config, "config");
    int attempts = config.frontendPort() == 0 ? 3 : 1;
    for (int attempt = 1; ; attempt++) {
      int port = config.frontendPort() == 0 ? freePort() : config.frontendPort();
      try {
        return startOnce(binary, config, port);
      } catch (PortInUse e) {
        if (attempt >= attempts) {
          throw new HaproxyException(e.getMessage());
        }
      }
    }
  }

  private static HaproxyProcess startOnce(HaproxyBinary binary, HaproxyConfig config, int port) {
    Path dir = createWorkDir();
    HaproxyLog log = new HaproxyLog(LOG_LIMIT);
    Process process = null;
    Thread pump = null;
    try {
      HaproxyConfig.Rendered rendered = config.render(binary.version(), port, dir);
      Path cfg = dir.resolve("haproxy.cfg");
      Files.writeString(cfg, rendered.haproxyCfg());
      if (rendered.hasSpoe()) {
        Files.writeString(dir.resolve("spoe.conf"), rendered.spoeConf());
      }
      validate(binary, cfg, rendered, log);

      process = new ProcessBuilder(binary.path().toString(), "-f", cfg.toString(), "-db")
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .start();
      process.getOutputStream().close();
      pump = log.pump(process);
      HaproxyProcess started = new HaproxyProcess(binary, config, rendered, dir, port, log, process, pump);
      try {
        started.awaitListening(config.startTimeout());
      } catch (RuntimeException e) {
        started.stop();
        throw e;
      }
      return started;
    } catch (IOException e) {
      killAndDelete(process, pump, dir);
      throw new HaproxyException("cannot start haproxy: " + e.getMessage() + "\n" + log, e);
    } catch (RuntimeException e) {
      killAndDelete(process, pump, dir);
      throw e;
    }
  }

  /** {@return the binary this process runs} */
  public HaproxyBinary binary() {
    return binary;
  }

  /** {@return the configuration this process was started with} */
  public HaproxyConfig config() {
    return config;
  }

  /** {@return the haproxy.cfg and spoe.conf text as written} */
  public HaproxyConfig.Rendered rendered() {
    return rendered;
  }

  /** {@return the temporary directory holding haproxy.cfg, spoe.conf and the stats socket (deleted at stop)} */
  public Path workDir() {
    return workDir;
  }

  /** {@return the frontend port on 127.0.0.1} */
  public int frontendPort() {
    return port;
  }

  /** {@return the frontend's base URL, {@code http://127.0.0.1:<port>/}} */
  public URI httpUrl() {
    return httpUrl("/");
  }

  /**
   * {@return a frontend URL for the path}
   *
   * @param path starts with {@code /}; may hold a query
   * @throws IllegalArgumentException if the path does not start with {@code /}
   */
  public URI httpUrl(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** {@return the haproxy process id} */
  public long pid() {
    return process.pid();
  }

  /** {@return true while the haproxy process runs} */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** {@return everything haproxy printed so far: {@code haproxy -c} output, then stdout and stderr (logs, alerts)} */
  public String log() {
    return log.toString();
  }

  /**
   * {@return true once {@link #log()} contains the text, false on timeout}
   *
   * @param text    the text to wait for
   * @param timeout how long to wait
   */
  public boolean awaitLog(String text, Duration timeout) {
    Objects.requireNonNull(text, "text");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (log.contains(text)) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      sleep(20);
    }
  }

  /**
   * Sends one command to HAProxy's runtime API (the stats socket, level admin) and returns the answer,
   * e.g. {@code runtimeCommand("show stat")}.
   *
   * @param command the command, one line
   * @return the answer
   * @throws HaproxyException if the socket cannot be reached or answers too slowly (5 s)
   */
  public String runtimeCommand(String command) {
    return runtime.command(command);
  }

  /**
   * The server's status from {@code show stat}: {@code UP}, {@code DOWN}, {@code no check},
   * {@code MAINT}, or a transition such as {@code UP 1/2}.
   *
   * @param backend the backend name
   * @param server  the server name
   * @return the status
   * @throws HaproxyException if there is no such server
   */
  public String serverStatus(String backend, String server) {
    return runtime.serverRow(backend, server).status();
  }

  /**
   * Waits until HAProxy's health check reports the server UP after a successful check (a fresh
   * HAProxy starts servers UP before checking them, so the status alone proves nothing). Needs
   * {@link HaproxyConfig.Builder#agentHealthCheck(boolean) agentHealthCheck(true)}.
   *
   * @param backend the backend name
   * @param server  the server name
   * @param timeout how long to wait
   * @throws IllegalStateException if the server is not health-checked
   * @throws HaproxyException on timeout (with the last check result) or if the server is unknown
   */
  public void awaitServerUp(String backend, String server, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RuntimeApi.StatRow row = runtime.serverRow(backend, server);
      if (row.status().equalsIgnoreCase("no check")) {
        throw new IllegalStateException("server " + backend + "/" + server
            + " is not health-checked; build the config with agentHealthCheck(true)");
      }
      if (row.status().equals("UP") && CHECK_OK.contains(row.checkStatus())) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new HaproxyException("server " + backend + "/" + server + " not UP after " + timeout
            + ": status " + row.status() + ", last check " + row.checkStatus()
            + (row.checkDesc().isEmpty() ? "" : " (" + row.checkDesc() + ")") + "\n" + log.tail());
      }
      if (!process.isAlive()) {
        throw new HaproxyException("haproxy exited with " + process.exitValue() + "\n" + log.tail());
      }
      sleep(50);
    }
  }

  /**
   * {@link #awaitServerUp} for every agent server of the {@value HaproxyConfig#AGENT_BACKEND} backend.
   *
   * @param timeout how long to wait for all of them
   */
  public void awaitAgentsUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> names = config.agentServerNames();
    if (names.isEmpty()) {
      throw new IllegalStateException("the configuration has no agent servers");
    }
    for (String name : names) {
      long left = Math.max(0, deadline - System.nanoTime());
      awaitServerUp(HaproxyConfig.AGENT_BACKEND, name, Duration.ofNanos(left));
    }
  }

  /**
   * Stops haproxy: SIGTERM, then SIGKILL after a 5 s grace period; then deletes the work
   * directory. Only this process is signalled. Idempotent.
   */
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook itself is running or about to run
    }
    killAndDelete(process, pump, workDir);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "haproxy " + binary.version() + " pid " + process.pid() + " on " + httpUrl();
  }

  // ---------------------------------------------------------------------------------------------

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // best effort at JVM exit
    }
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        waitQuietly(pump);
        String out = log.toString();
        if (out.contains("cannot bind socket") && config.frontendPort() == 0) {
          throw new PortInUse("haproxy could not bind port " + port + ":\n" + out);
        }
        throw new HaproxyException("haproxy exited with " + process.exitValue()
            + " before its frontend 127.0.0.1:" + port + " accepted connections:\n" + out);
      }
      // haproxy binds every listener before serving the stats socket: once the socket answers,
      // the frontend port is haproxy's (a bare TCP connect could reach another process)
      if (Files.exists(workDir.resolve("admin.sock")) && answersRuntimeApi()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return;
        } catch (IOException notYet) {
          // retry
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new HaproxyException("haproxy frontend 127.0.0.1:" + port + " did not accept connections within "
            + timeout + ":\n" + log);
      }
      sleep(25);
    }
  }

  private boolean answersRuntimeApi() {
    try {
      return runtimeCommand("show info").contains("Pid: " + process.pid());
    } catch (HaproxyException notYet) {
      return false;
    }
  }

  private static void validate(HaproxyBinary binary, Path cfg, HaproxyConfig.Rendered rendered, HaproxyLog log)
      throws IOException {
    Process check = new ProcessBuilder(binary.path().toString(), "-c", "-f", cfg.toString())
        .directory(cfg.getParent().toFile())
        .redirectErrorStream(true)
        .start();
    check.getOutputStream().close();
    String out;
    try (InputStream in = check.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int code;
    try {
      if (!check.waitFor(30, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        throw new HaproxyException("haproxy -c did not finish within 30 s");
      }
      code = check.exitValue();
    } catch (InterruptedException e) {
      check.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new HaproxyException("interrupted during haproxy -c", e);
    }
    log.append("[haproxy -c] exit " + code + "\n" + out);
    if (code != 0) {
      StringBuilder m = new StringBuilder("haproxy -c rejected the configuration (exit ")
          .append(code).append("):\n").append(out.strip())
          .append("\n--- haproxy.cfg ---\n").append(rendered.haproxyCfg());
      if (rendered.hasSpoe()) {
        m.append("--- spoe.conf ---\n").append(rendered.spoeConf());
      }
      throw new HaproxyException(m.toString());
    }
  }

  private static void killAndDelete(Process process, Thread pump, Path dir) {
    try {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      waitQuietly(pump);
    } catch (InterruptedException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      Thread.currentThread().interrupt();
    } finally {
      deleteRecursively(dir);
    }
  }

  private static void waitQuietly(Thread t) {
    if (t != null) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path createWorkDir() {
    try {
      Path dir = Files.createTempDirectory("spoa-haproxy-");
      if (dir.resolve("admin.sock").toString().length() > SOCKET_PATH_LIMIT && Files.isDirectory(Path.of("/tmp"))) {
        // unix socket paths are limited to ~104 bytes: fall back to /tmp
        Files.delete(dir);
        dir = Files.createTempDirectory(Path.of("/tmp"), "spoa-haproxy-");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick a free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HaproxyException("interrupted", e);
    }
  }

  /** Bind failure on an auto-picked port: retried with another port. */
  private static final class PortInUse extends HaproxyException {
    private static final long serialVersionUID = 1L;

    PortInUse(String message) {
      super(message);
    }
  }
}
