package io.spoavertx.handler.internal;

import io.spoavertx.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.Iterator;

/**
 * The Vert.x context internals the agent uses, each with a public-API fallback. One of the three
 * files that import {@code io.vertx.core.internal} (with {@code agent.impl.SocketIo} and
 * {@code codec.HeapArrays}): Vert.x does not promise them between versions.
 *
 * <p>They are used when the system property {@code spoa.vertxInternals} is not {@code false} and
 * the running Vert.x has them (checked once, by reflection: a Vert.x where they changed falls back
 * with one log line instead of failing). The fallbacks work with any Vert.x 5, at a cost stated at
 * each method; {@code mvn verify} runs a set of tests with the property set to {@code false}.
 */
public final class VertxInternals {

  private static final Log LOG = Log.get(VertxInternals.class);

  /** Whether the internals below are used. */
  public static final boolean ENABLED = probe();

  private VertxInternals() {
  }

  private static boolean probe() {
    if ("false".equals(System.getProperty("spoa.vertxInternals"))) {
      return false;
    }
    try {
      ContextInternal.class.getMethod("emit", Object.class, Handler.class);
      ContextInternal.class.getMethod("addCloseHook", io.vertx.core.Closeable.class);
      ContextInternal.class.getMethod("deploymentID");
      VertxInternal.class.getMethod("nettyEventLoopGroup");
      return true;
    } catch (NoSuchMethodException | LinkageError e) {
      LOG.info("Vert.x context internals not available (" + e + "): using the public API");
      return false;
    }
  }

  /**
   * Runs {@code handler} with {@code arg} on {@code context}, whose thread is {@code thread} (null
   * if not known): at once when called on that thread, with {@code context} current (Vert.x's
   * {@code emit}); from another thread as a task on it. Fallback: on that thread, the handler is
   * called at once but with the caller's context current; elsewhere, a task.
   */
  public static <T> void runOn(Context context, Thread thread, T arg, Handler<T> handler) {
    if (ENABLED) {
      ((ContextInternal) context).emit(arg, handler);
    } else if (thread == Thread.currentThread()) {
      handler.handle(arg);
    } else {
      context.runOnContext(v -> handler.handle(arg));
    }
  }

  /**
   * Has {@code onClose} run when the verticle {@code context} belongs to is undeployed. Returns
   * false when it cannot (no deployment, or the fallback): the caller then finds out otherwise.
   */
  public static boolean onUndeploy(Context context, Runnable onClose) {
    if (ENABLED && context instanceof ContextInternal ctx && ctx.deploymentID() != null) {
      ctx.addCloseHook(completion -> {
        onClose.run();
        completion.succeed();
      });
      return true;
    }
    return false;
  }

  /**
   * How many event loops {@code vertx} has. Fallback: Vert.x's default,
   * {@link VertxOptions#DEFAULT_EVENT_LOOP_POOL_SIZE} (wrong when the application set another).
   */
  public static int eventLoopCount(Vertx vertx) {
    if (ENABLED && vertx instanceof VertxInternal internal) {
      int n = 0;
      for (Iterator<?> it = internal.nettyEventLoopGroup().iterator(); it.hasNext(); it.next()) {
        n++;
      }
      if (n > 0) {
        return n;
      }
    }
    return VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }
}
