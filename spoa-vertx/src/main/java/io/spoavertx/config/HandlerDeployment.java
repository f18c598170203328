package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.range;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A handler verticle the launcher deploys next to the agent.
 *
 * @param className fully qualified verticle class (JSON key {@code class})
 * @param instances how many instances (default 1)
 * @param config the verticle's own {@code config()}
 */
public record HandlerDeployment(@JsonProperty("class") String className, Integer instances, Map<String, Object> config) {

  public HandlerDeployment {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("class: is required");
    }
    instances = range("instances", orDefault(instances, 1), 1, 1024);
    config = config == null ? Map.of() : config;
  }
}
