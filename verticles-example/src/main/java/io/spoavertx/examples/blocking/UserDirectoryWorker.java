package io.spoavertx.examples.blocking;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The blocking handler: answers {@code lookup-user} (argument {@code user}) with
 * {@code txn.<prefix>.plan} (the user's plan, or {@code "unknown"}). Its handler simply blocks:
 * that is allowed because this verticle is deployed as a <b>worker</b>
 * ({@code new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)}, see
 * {@link UserDirectoryVerticle}), so Vert.x calls it on a worker-pool thread, never on an event
 * loop. One instance handles one message at a time; deploy N instances for N concurrent lookups
 * (up to the worker pool size, 20 by default: {@code VertxOptions.setWorkerPoolSize}).
 *
 * <p>Config: {@code file} (the CSV, default {@code conf/examples/users.csv}), {@code latencyMs}
 * (simulated latency, default 200), {@code message} (default {@code lookup-user}).
 */
public class UserDirectoryWorker extends VerticleBase {

  public static final String MESSAGE = "lookup-user";

  private UserDirectory directory;

  public UserDirectoryWorker() {
  }

  /** With a directory of its own (tests, or your real client). */
  public UserDirectoryWorker(UserDirectory directory) {
    this.directory = directory;
  }

  @Override
  public Future<?> start() {
    JsonObject cfg = config();
    if (directory == null) {
      directory = new FileUserDirectory(Path.of(cfg.getString("file", "conf/examples/users.csv")),
          cfg.getLong("latencyMs", 200L));
    }
    return SpoeHandlers.register(vertx, spec(cfg.getString("message", MESSAGE)), this::lookup).completion();
  }

  /**
   * What HAProxy sends and gets: the X-User header, only for requests that have one (the messages
   * of one event share one ACK: the others are not delayed by the slow lookup); {@code plan}.
   */
  static MessageSpec spec(String message) {
    return MessageSpec.builder(message)
        .arg("user", "req.hdr(x-user)", DataType.STRING)
        .when("{ req.hdr(x-user) -m found }")
        .sets(Scope.TXN, "plan", DataType.STRING)
        .responseHeader("plan", "X-Plan")
        .build();
  }

  /**
   * Looks the user up within the time the message has left ({@link MessageContext}): a message that
   * waited for a free worker past its deadline is not looked up at all, since the agent has
   * answered HAProxy without it, and the directory gets the time left as its timeout. (A
   * {@code cancelled()} callback would not help here: on a worker verticle it runs on the same
   * context, after this blocking call returns.)
   */
  Future<Actions> lookup(SpoeMessage message) {
    String user = message.getString("user");
    if (user == null || user.isEmpty()) {
      return Future.succeededFuture(Actions.none());
    }
    MessageContext context = message.context();
    if (context.isCancelled()) {
      return Future.succeededFuture(Actions.none()); // too late: spare the directory the query
    }
    try {
      // blocks this worker thread, and nothing else, for no longer than the agent waits
      String plan = directory.planOf(user, context.timeLeftMillis());
      return Future.succeededFuture(Actions.create().setVar(Scope.TXN, "plan", plan == null ? "unknown" : plan));
    } catch (Exception e) {
      return Future.failedFuture(e); // the agent answers without this message's actions
    }
  }
}
