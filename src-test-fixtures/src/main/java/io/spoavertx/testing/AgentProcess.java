package io.spoavertx.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent fat JAR running as a child process ({@code java -jar agent.jar ...}), for tests that
 * exercise the launcher, SIGTERM handling or a cluster of JVMs. Output (stdout and stderr) is kept
 * and searchable; the process is stopped by its own PID only.
 *
 * <pre>{@code
 * try (AgentProcess agent = AgentProcess.start(jar, List.of("-conf", "{\"listener\":{\"port\":0}}"), Map.of())) {
 *   int port = agent.awaitListeningPort(Duration.ofSeconds(30));
 *   ...
 * }
 * }</pre>
 */
public final class AgentProcess implements AutoCloseable {

  /** The line the spoa-vertx launcher logs once it listens. */
  public static final Pattern LISTENING = Pattern.compile("SPOA agent listening on [^\\s]+:(\\d+) ");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread pump;

  private AgentProcess(Process process) {
    this.process = process;
    this.pump = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "agent-process-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code java [jvmArgs] -jar jar [args]} with the current JVM's java and extra environment. */
  public static AgentProcess start(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env) throws IOException {
    return start(Path.of(System.getProperty("java.home"), "bin", "java"), jar, jvmArgs, args, env);
  }

  /** Starts {@code java [jvmArgs] -jar jar [args]} with the given {@code java} (another JDK) and extra environment. */
  public static AgentProcess start(Path java, Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new AgentProcess(pb.start());
  }

  public static AgentProcess start(Path jar, List<String> args, Map<String, String> env) throws IOException {
    return start(jar, List.of(), args, env);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process printed so far. */
  public String output() {
    return output.toString();
  }

  /** Waits until the output matches {@code pattern}; returns the match. */
  public Matcher awaitOutput(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = pattern.matcher(output);
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        pump.join(1000);
        m = pattern.matcher(output);
        if (m.find()) {
          return m;
        }
        throw new AssertionError("agent exited with " + process.exitValue() + " before printing /" + pattern
            + "/; output:\n" + output);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no /" + pattern + "/ within " + timeout + "; output:\n" + output);
      }
      Thread.sleep(20);
    }
  }

  /** Waits for the launcher's "listening" line and returns the bound port. */
  public int awaitListeningPort(Duration timeout) throws InterruptedException {
    return Integer.parseInt(awaitOutput(LISTENING, timeout).group(1));
  }

  /** Waits for the process to exit on its own; returns its exit status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("agent still running after " + timeout + "; output:\n" + output);
    }
    pump.join(2000);
    return process.exitValue();
  }

  /** Sends SIGTERM (a graceful stop) and waits for the exit; returns the exit status. */
  public int terminate(Duration timeout) throws InterruptedException {
    // ProcessHandle, not Process.destroy(): the latter also closes our end of the child's output,
    // losing what it prints while it shuts down.
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  /** SIGHUP: the launcher re-reads its config file and redeploys the handler verticles that changed. */
  public void hangup() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).redirectErrorStream(true).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -HUP " + process.pid() + " failed: " + new String(kill.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    }
  }

  /** SIGKILL: the abrupt death of a node. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
