package io.spoavertx.examples.cluster;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Tells which cluster node answered: handles message {@code whoami} by setting
 * {@code txn.<prefix>.node} to this node's name, and {@code txn.<prefix>.echo} to the message's
 * {@code echo} argument when it has one (its text).
 *
 * <p>Config: {@code node} (default: the host name and PID, e.g. {@code host-4711}),
 * {@code message} (default {@code whoami}). Deploy it on several handler nodes with different
 * names and watch the agent spread messages over them, or fail over when one dies; see
 * docs/CLUSTER.md.
 */
public class NodeTagVerticle extends VerticleBase {

  public static final String MESSAGE = "whoami";

  private String node;

  @Override
  public Future<?> start() {
    JsonObject cfg = config();
    node = cfg.getString("node", defaultName());
    return SpoeHandlers.register(vertx, spec(cfg.getString("message", MESSAGE)), this::answer).completion();
  }

  /** What HAProxy sends and gets: an optional text to echo (the path here); {@code node} and {@code echo}. */
  static MessageSpec spec(String message) {
    return MessageSpec.builder(message)
        .optionalArg("echo", "path", DataType.STRING)
        .sets(Scope.TXN, "node", DataType.STRING)
        .sets(Scope.TXN, "echo", DataType.STRING)
        .responseHeader("node", "X-Node")
        .build();
  }

  Future<Actions> answer(SpoeMessage message) {
    Actions actions = Actions.create().setVar(Scope.TXN, "node", node);
    String echo = message.getString("echo");
    if (echo != null) {
      actions.setVar(Scope.TXN, "echo", echo);
    }
    return Future.succeededFuture(actions);
  }

  private static String defaultName() {
    String host = System.getenv().getOrDefault("HOSTNAME", "node");
    return host + "-" + ProcessHandle.current().pid();
  }
}
