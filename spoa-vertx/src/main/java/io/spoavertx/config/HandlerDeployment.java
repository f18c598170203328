package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.range;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A handler verticle the launcher deploys next to the agent.
 *
 * @param className fully qualified verticle class (JSON key {@code class})
 * @param instances how many instances (default: one per event loop, so every listener instance has
 *     one on its own event loop; see {@code SpoaAgent.deployOnEveryEventLoop}); null here means that default
 * @param config the verticle's own {@code config()}
 * @param threadingModel {@code event-loop} (default), {@code worker} (for handlers that block) or
 *     {@code virtual-thread} (JDK 21+)
 */
public record HandlerDeployment(@JsonProperty("class") String className, Integer instances, Map<String, Object> config,
                                String threadingModel) {

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param className      fully qualified verticle class, required
   * @param instances      1..1024, or null for one per event loop
   * @param config         the verticle's {@code config()}; null for empty
   * @param threadingModel null for {@code event-loop}
   * @throws IllegalArgumentException if the class is missing or a value is invalid; the message starts with its key
   */
  public HandlerDeployment {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("class: is required");
    }
    instances = instances == null ? null : range("instances", instances, 1, 1024);
    config = config == null ? Map.of() : config;
    threadingModel = orDefault(threadingModel, "event-loop");
    if (!threadingModel.equals("event-loop") && !threadingModel.equals("worker") && !threadingModel.equals("virtual-thread")) {
      throw new IllegalArgumentException("threadingModel: must be one of event-loop, worker, virtual-thread; got '"
          + threadingModel + "'");
    }
  }

  /** {@return the Vert.x threading model to deploy with} */
  public io.vertx.core.ThreadingModel vertxThreadingModel() {
    switch (threadingModel) {
      case "worker": return io.vertx.core.ThreadingModel.WORKER;
      case "virtual-thread": return io.vertx.core.ThreadingModel.VIRTUAL_THREAD;
      default: return io.vertx.core.ThreadingModel.EVENT_LOOP;
    }
  }
}
