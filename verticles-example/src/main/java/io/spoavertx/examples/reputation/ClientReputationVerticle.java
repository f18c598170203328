package io.spoavertx.examples.reputation;

import io.spoavertx.config.ConfigException;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Client reputation: answers {@code check-client-ip} (arguments {@code ip}, {@code path}, {@code ua})
 * with {@code txn.<prefix>.score} (0-100) and, for denied clients, {@code txn.<prefix>.deny = true}.
 *
 * <p>Rules come from the verticle config, inline or from a JSON file named by {@code "file"}
 * (see {@link ReputationPolicy}), so operators change them without code.
 */
public class ClientReputationVerticle extends VerticleBase {

  public static final String MESSAGE = "check-client-ip";

  private ReputationPolicy policy;

  @Override
  public Future<?> start() {
    JsonObject cfg = config();
    String file = cfg.getString("file");
    Future<JsonObject> rules = file != null
        ? vertx.fileSystem().readFile(file)
            .recover(t -> Future.failedFuture(new ConfigException("file", "cannot read '" + file + "': " + t.getMessage())))
            .map(b -> new JsonObject(b).mergeIn(cfg.copy().put("file", (String) null)))
        : Future.succeededFuture(cfg);
    return rules.compose(json -> {
      try {
        policy = ReputationPolicy.fromJson(json);
      } catch (ConfigException e) {
        // bad rules: a ConfigException naming the key, which the launcher reports under this
        // verticle's place in the agent config (handlers[0].config.deny[1]: ...)
        boolean inFile = file != null && !cfg.containsKey(e.key().split("[.\\[]")[0]);
        return Future.failedFuture(inFile ? new ConfigException("file", "'" + file + "': " + e.key() + ": " + e.problem(), e) : e);
      }
      return SpoeHandlers.register(vertx, spec(cfg.getString("message", MESSAGE)), SpoeHandler.sync(this::check)).completion();
    });
  }

  /**
   * What HAProxy sends and gets: the client address, path and user agent; {@code score} and, for
   * denied clients, {@code deny} (HAProxy answers 403 on it, and copies the score into X-Score).
   */
  static MessageSpec spec(String message) {
    return MessageSpec.builder(message)
        .arg("ip", "src", DataType.IPV4, DataType.IPV6)
        .arg("path", "path", DataType.STRING)
        .arg("ua", "req.hdr(user-agent)", DataType.STRING)
        .sets(Scope.TXN, "score", DataType.INT32)
        .sets(Scope.TXN, "deny", DataType.BOOL)
        .denies("deny", 403)
        .responseHeader("score", "X-Score")
        .build();
  }

  /** Answers at once, into the action list the agent lends ({@link SpoeHandler#sync}): nothing to allocate for the answer. */
  void check(SpoeMessage message, Actions actions) {
    ReputationPolicy.Verdict v = policy.evaluate(message.getAddress("ip"), message.getString("path"), message.getString("ua"));
    actions.setVar(Scope.TXN, "score", v.score());
    if (v.deny()) {
      actions.setVar(Scope.TXN, "deny", true);
    }
  }
}
