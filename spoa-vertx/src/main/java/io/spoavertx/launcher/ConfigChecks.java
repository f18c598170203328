package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.config.TlsOptions;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Deployable;
import io.vertx.core.Verticle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks of a config that need the classpath or the file system: handler classes exist and have
 * the right type, TLS files can be read.
 */
final class ConfigChecks {

  private ConfigChecks() {
  }

  /** Every check, before anything binds; a {@link ConfigException} names the key. Returns {@code config}. */
  static AgentConfig check(AgentConfig config) {
    checkClasses(config);
    checkTlsFiles(config);
    return config;
  }

  /** The listener's key and certificate files exist and can be read (their content is checked at bind). */
  static void checkTlsFiles(AgentConfig config) {
    TlsOptions tls = config.listener().tls();
    if (tls == null) {
      return;
    }
    readable("listener.tls.keyStore", tls.keyStore());
    readable("listener.tls.certPath", tls.certPath());
    readable("listener.tls.keyPath", tls.keyPath());
  }

  private static void readable(String key, String file) {
    if (file == null) {
      return;
    }
    Path p = Path.of(file);
    if (!Files.exists(p)) {
      throw new ConfigException(key, "cannot read '" + file + "': no such file");
    }
    if (Files.isDirectory(p)) {
      throw new ConfigException(key, "cannot read '" + file + "': a directory, not a file");
    }
    if (!Files.isReadable(p)) {
      throw new ConfigException(key, "cannot read '" + file + "': permission denied");
    }
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
      ClassLoader tccl = Thread.currentThread().getContextClassLoader();
      return Class.forName(className, false, tccl != null ? tccl : ConfigChecks.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(key, "cannot load class '" + className + "'");
    }
  }
}
