package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.spoavertx.handler.internal.LocalHandlers;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The messages the handler verticles of a config declare: deploys them one by one in a Vert.x
 * instance of its own (no listener, no metrics), as the agent would, and reads what each
 * registered. Fails, naming the deployment, when one registers nothing, registers a handler
 * without a declaration, declares a message the agent would send elsewhere, or declares a message
 * differently from another.
 */
final class HandlerDeclarations {

  private static final long DEPLOY_TIMEOUT_S = 60;

  private HandlerDeclarations() {
  }

  /**
   * Deploys, reads, undeploys.
   *
   * @return the declarations: by deployment in config order, each deployment's by message name
   * @throws ConfigException naming the deployment or the key at fault
   */
  static List<MessageSpec> read(AgentConfig config) {
    if (config.handlers().isEmpty() || !config.cluster().runsHandlers()) {
      throw new ConfigException("handlers", "the config deploys no handler verticles"
          + (config.cluster().runsHandlers() ? "" : " (cluster.role " + config.cluster().role() + ")")
          + ": no message is declared, nothing to write");
    }
    // one event loop: every handler deploys one instance (unless its config says otherwise)
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).build();
    try {
      return read(vertx, config);
    } finally {
      try {
        vertx.close().await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS); // undeploys the handler verticles
      } catch (TimeoutException e) {
        // the declarations are read: a handler that is slow to stop changes nothing to them
      }
    }
  }

  private static List<MessageSpec> read(Vertx vertx, AgentConfig config) {
    LocalHandlers registry = LocalHandlers.of(vertx);
    Map<String, MessageSpec> byName = new LinkedHashMap<>();
    Map<String, Integer> declaredBy = new LinkedHashMap<>();
    for (int i = 0; i < config.handlers().size(); i++) {
      HandlerDeployment h = config.handlers().get(i);
      Set<LocalEndpoint> before = endpoints(registry);
      deploy(vertx, i, h);
      List<LocalEndpoint> added = new ArrayList<>(endpoints(registry));
      added.removeAll(before);
      if (added.isEmpty()) {
        throw new ConfigException("handlers[" + i + "]", "'" + h.className() + "' declares no message (it registers no "
            + "handler): nothing to write for it");
      }
      added.sort(Comparator.comparing(LocalEndpoint::address));
      for (LocalEndpoint e : added) {
        MessageSpec spec = check(config, i, h, e);
        MessageSpec other = byName.putIfAbsent(spec.name(), spec);
        if (other != null && !other.equals(spec)) {
          throw new ConfigException("handlers[" + i + "]", "'" + h.className() + "' declares message '" + spec.name()
              + "' differently from handlers[" + declaredBy.get(spec.name()) + "]: " + spec + " / " + other);
        }
        declaredBy.putIfAbsent(spec.name(), i);
      }
    }
    return List.copyOf(byName.values());
  }

  /** The endpoint's declaration, at the address the agent sends its message to. */
  private static MessageSpec check(AgentConfig config, int index, HandlerDeployment h, LocalEndpoint e) {
    MessageSpec spec = e.spec();
    if (spec == null) {
      throw new ConfigException("handlers[" + index + "]", "'" + h.className() + "' registers a handler at "
          + e.address() + " without declaring its message: register it with a MessageSpec "
          + "(SpoeHandlers.register(vertx, spec, handler))");
    }
    RouteOptions route = config.dispatch().routes().get(spec.name());
    String expected = route != null && route.address() != null ? route.address()
        : config.dispatch().addressPrefix() + spec.name();
    if (!expected.equals(e.address())) {
      throw new ConfigException("handlers[" + index + "]", "'" + h.className() + "' declares message '" + spec.name()
          + "' at address " + e.address() + ", but the agent sends it to " + expected
          + " (dispatch.routes." + spec.name() + ".address, dispatch.addressPrefix)");
    }
    return spec;
  }

  private static void deploy(Vertx vertx, int index, HandlerDeployment h) {
    try {
      SpoaMainVerticle.deployHandler(vertx, index, h).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ConfigException("handlers[" + index + "]", "'" + h.className() + "' did not start within "
          + DEPLOY_TIMEOUT_S + " s");
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("handlers[" + index + "]", "cannot deploy '" + h.className() + "': "
          + StartupException.rootMessage(e), e);
    }
  }

  private static Set<LocalEndpoint> endpoints(LocalHandlers registry) {
    Set<LocalEndpoint> all = Collections.newSetFromMap(new IdentityHashMap<>());
    registry.snapshot().values().forEach(all::addAll);
    return all;
  }
}
