package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Deployable;
import io.vertx.core.Verticle;

import java.util.List;
import java.util.Map;

/** Checks of a config that need the classpath: handler classes exist and have the right type. */
final class ConfigChecks {

  private ConfigChecks() {
  }

  static void checkClasses(AgentConfig config) {
    List<HandlerDeployment> handlers = config.handlers();
    for (int i = 0; i < handlers.size(); i++) {
      String key = "handlers[" + i + "].class";
      Class<?> c = load(key, handlers.get(i).className());
      if (!Verticle.class.isAssignableFrom(c) && !Deployable.class.isAssignableFrom(c)) {
        throw new ConfigException(key, "'" + c.getName() + "' is not a verticle");
      }
      if (handlers.get(i).threadingModel().equals("virtual-thread") && Runtime.version().feature() < 21) {
        throw new ConfigException("handlers[" + i + "].threadingModel",
            "virtual-thread needs JDK 21 or newer, this is " + Runtime.version());
      }
    }
    for (Map.Entry<String, RouteOptions> e : config.dispatch().routes().entrySet()) {
      if (e.getValue().handler() != null) {
        newDirectHandler(e.getKey(), e.getValue().handler());
      }
    }
  }

  static SpoeHandler newDirectHandler(String message, String className) {
    String key = "dispatch.routes." + message + ".handler";
    Class<?> c = load(key, className);
    if (!SpoeHandler.class.isAssignableFrom(c)) {
      throw new ConfigException(key, "'" + className + "' does not implement " + SpoeHandler.class.getName());
    }
    try {
      return (SpoeHandler) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(key, "cannot instantiate '" + className + "' (a public no-arg constructor is needed): " + e);
    }
  }

  private static Class<?> load(String key, String className) {
    try {
      return Class.forName(className, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(key, "cannot load class '" + className + "'");
    }
  }
}
