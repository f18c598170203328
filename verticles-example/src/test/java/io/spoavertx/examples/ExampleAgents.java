package io.spoavertx.examples;

import io.spoavertx.launcher.SpoaMainVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the examples exactly as {@code java -jar spoa-agent.jar -conf conf/examples/<name>.json}
 * does (through {@link SpoaMainVerticle}), except that the listener binds 127.0.0.1 port 0 and
 * relative {@code "file"} paths in handler configs are resolved against the repository root.
 */
public final class ExampleAgents {

  private ExampleAgents() {
  }

  /** The repository root (the directory holding {@code conf/examples}). */
  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("conf/examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("conf/examples not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** {@code conf/examples/<name>.json}, ready for a test: port 0, file paths made absolute. */
  public static JsonObject config(String name) {
    try {
      JsonObject json = new JsonObject(Files.readString(repoRoot().resolve("conf/examples/" + name + ".json")));
      JsonObject listener = json.getJsonObject("listener", new JsonObject());
      json.put("listener", listener.put("host", "127.0.0.1").put("port", 0));
      json.put("metrics", new JsonObject().put("port", 0)); // never the default 9464 in tests
      for (Object h : json.getJsonArray("handlers", new JsonArray())) {
        JsonObject cfg = ((JsonObject) h).getJsonObject("config");
        if (cfg != null && cfg.getValue("file") instanceof String f && !Path.of(f).isAbsolute()) {
          cfg.put("file", repoRoot().resolve(f).toString());
        }
      }
      return json;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deploys the agent and its handlers from {@code config}; returns the port it listens on. */
  public static int deploy(Vertx vertx, JsonObject config) throws Exception {
    SpoaMainVerticle main = new SpoaMainVerticle();
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(20, TimeUnit.SECONDS);
    return main.agent().port();
  }
}
