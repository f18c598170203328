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

  /**
   * Starts {@code java [jvmArgs] -jar jar [args]} with the current JVM's java and extra environment.
   *
   * @param jar     the agent's fat JAR
   * @param jvmArgs JVM options, before {@code -jar}
   * @param args    the agent's arguments
   * @param env     environment variables added to this JVM's
   * @return the running process
   * @throws IOException if the process cannot be started
   */
  public static AgentProcess start(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env) throws IOException {
    return start(Path.of(System.getProperty("java.home"), "bin", "java"), jar, jvmArgs, args, env);
  }

  /**
   * Starts {@code java [jvmArgs] -jar jar [args]} with the given {@code java} (another JDK) and extra environment.
   *
   * @param java    the java executable
   * @param jar     the agent's fat JAR
   * @param jvmArgs JVM options, before {@code -jar}
   * @param args    the agent's arguments
   * @param env     environment variables added to this JVM's
   * @return the running process
   * @throws IOException if the process cannot be started
   */
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

  /**
   * Starts {@code java -jar jar [args]} with the current JVM's java and extra environment.
   *
   * @param jar  the agent's fat JAR
   * @param args the agent's arguments
   * @param env  environment variables added to this JVM's
   * @return the running process
   * @throws IOException if the process cannot be started
   */
  public static AgentProcess start(Path jar, List<String> args, Map<String, String> env) throws IOException {
    return start(jar, List.of(), args, env);
  }

  /** {@return the process id} */
  public long pid() {
    return process.pid();
  }

  /** {@return whether the process is still running} */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** {@return everything the process printed so far, stdout and stderr} */
  public String output() {
    return output.toString();
  }

  /**
   * Waits until the output matches {@code pattern}.
   *
   * @param pattern what to find in the output
   * @param timeout how long to wait
   * @return the match
   * @throws AssertionError       if the process exits or the timeout passes first
   * @throws InterruptedException if interrupted while waiting
   */
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

  /**
   * Waits for the launcher's "listening" line ({@link #LISTENING}).
   *
   * @param timeout how long to wait
   * @return the bound port
   * @throws AssertionError       if the process exits or the timeout passes first
   * @throws InterruptedException if interrupted while waiting
   */
  public int awaitListeningPort(Duration timeout) throws InterruptedException {
    return Integer.parseInt(awaitOutput(LISTENING, timeout).group(1));
  }

  /**
   * Waits for the process to exit on its own.
   *
   * @param timeout how long to wait
   * @return its exit status
   * @throws AssertionError       if it is still running after the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("agent still running after " + timeout + "; output:\n" + output);
    }
    pump.join(2000);
    return process.exitValue();
  }

  /**
   * Sends SIGTERM (a graceful stop) and waits for the exit.
   *
   * @param timeout how long to wait for the exit
   * @return the exit status
   * @throws AssertionError       if it is still running after the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public int terminate(Duration timeout) throws InterruptedException {
    // ProcessHandle, not Process.destroy(): the latter also closes our end of the child's output,
    // losing what it prints while it shuts down.
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  /**
   * Sends SIGHUP: the launcher re-reads its config file and redeploys the handler verticles that changed.
   *
   * @throws IOException          if {@code kill -HUP} fails
   * @throws InterruptedException if interrupted while waiting for {@code kill}
   */
  public void hangup() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).redirectErrorStream(true).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -HUP " + process.pid() + " failed: " + new String(kill.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    }
  }

  /**
   * Sends SIGKILL, the abrupt death of a node, and waits up to 10 s for the exit.
   *
   * @throws InterruptedException if interrupted while waiting
   */
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
