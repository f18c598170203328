package io.spoavertx.testing.load;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Command line of the {@link LoadGenerator}:
 * <pre>
 * LoadMain --port 12345 [--host 127.0.0.1] [--connections 8] [--inflight 20] [--duration 10s]
 *          [--warmup 3s] [--drain 2s] [--rate N] [--hello 2.6|3] [--event-loops 1]
 *          [--max-frame-size 16380] [--message SPEC[@WEIGHT]]... [--json] [--json-file FILE]
 * </pre>
 * Prints a one-line summary (and with {@code --json} a JSON line) on stdout. Exit status 0 when
 * the run had no error, 1 when it saw errors, 2 on bad arguments or a failed run. See
 * {@link MessageSpec} for {@code --message}; without it each NOTIFY holds
 * {@link LoadOptions#defaultMessage()}.
 */
public final class LoadMain {

  private LoadMain() {
  }

  /**
   * Runs the load described by the command line and exits with its status.
   *
   * @param args the command line, see the class comment
   * @throws Exception if the run cannot be completed
   */
  public static void main(String[] args) throws Exception {
    LoadOptions o = new LoadOptions();
    boolean json = false;
    String jsonFile = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--host" -> o.host(args[++i]);
          case "--port" -> o.port(Integer.parseInt(args[++i]));
          case "--connections", "-c" -> o.connections(Integer.parseInt(args[++i]));
          case "--inflight", "-p" -> o.inflight(Integer.parseInt(args[++i]));
          case "--duration", "-d" -> o.duration(parseDuration(args[++i]));
          case "--warmup", "-w" -> o.warmup(parseDuration(args[++i]));
          case "--drain" -> o.drainTimeout(parseDuration(args[++i]));
          case "--rate", "-r" -> o.rate(Double.parseDouble(args[++i]));
          case "--hello" -> o.helloStyle(LoadOptions.HelloStyle.parse(args[++i]));
          case "--event-loops" -> o.eventLoops(Integer.parseInt(args[++i]));
          case "--max-frame-size" -> o.maxFrameSize(Long.parseLong(args[++i]));
          case "--message", "-m" -> {
            String spec = args[++i];
            int at = spec.lastIndexOf('@');
            int weight = 1;
            if (at > 0) {
              weight = Integer.parseInt(spec.substring(at + 1));
              spec = spec.substring(0, at);
            }
            o.addNotify(MessageSpec.parseNotify(spec), weight);
          }
          case "--json" -> json = true;
          case "--json-file" -> jsonFile = args[++i];
          case "--help", "-h" -> {
            usage(System.out);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.port() <= 0) {
        throw new IllegalArgumentException("--port is required");
      }
    } catch (RuntimeException e) {
      System.err.println("loadgen: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    System.err.println("loadgen: " + o + ", notifies " + o.notifies());
    LoadReport report;
    try {
      report = LoadGenerator.runStandalone(o);
    } catch (Exception e) {
      System.err.println("loadgen: run failed: " + (e.getCause() != null ? e.getCause() : e));
      System.exit(2);
      return;
    }
    System.out.println(report.summary());
    if (report.firstError() != null) {
      System.err.println("loadgen: first error: " + report.firstError());
    }
    String js = report.toJson().put("options", o.toString()).encode();
    if (json) {
      System.out.println(js);
    }
    if (jsonFile != null) {
      Files.writeString(Path.of(jsonFile), js + "\n", StandardCharsets.UTF_8);
    }
    System.exit(report.errors() == 0 ? 0 : 1);
  }

  /** {@code 10s}, {@code 500ms}, {@code 2m}, or bare seconds. */
  static Duration parseDuration(String s) {
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
    }
    if (s.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
    }
    return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
  }

  private static void usage(PrintStream out) {
    out.println("""
        usage: LoadMain --port P [--host 127.0.0.1] [--connections 8] [--inflight 20] [--duration 10s]
                        [--warmup 3s] [--drain 2s] [--rate NOTIFYS_PER_S] [--hello 2.6|3] [--event-loops 1]
                        [--max-frame-size 16380] [--message SPEC[@WEIGHT]]... [--json] [--json-file FILE]
          SPEC: NAME:ARG=TYPE[:SIZE],...  ('+' joins messages of one NOTIFY)
                TYPE: null bool int32 uint32 int64 uint64 ipv4 ipv6 string[:N] binary[:N]
          default message: bench:ip=ipv4,path=string:20,ua=string:60,port=int64,flag=bool
          without --rate: closed loop (each ACK sends the next NOTIFY)""");
  }
}
