package io.spoavertx.examples.blocking;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;

/**
 * Blocking work done right: the class to name in the agent config's {@code handlers}. It deploys
 * {@link UserDirectoryWorker} as a <b>worker verticle</b>, {@code workers} instances (default 4),
 * passing its own config on. The agent's event loops only move bytes; each slow lookup holds a
 * worker thread, and other messages (and other connections) are answered meanwhile.
 *
 * <p>Why a second verticle: the launcher deploys {@code handlers[]} with default options (event
 * loop), and a verticle cannot pick its own threading model, so this one deploys the worker.
 *
 * <p>Alternatives:
 * <ul>
 *   <li>{@code vertx.executeBlocking(() -> directory.planOf(user), false)} from an event-loop
 *       handler: no extra verticle, same worker pool ({@code false}: calls may run in parallel).</li>
 *   <li>JDK 21+: {@code ThreadingModel.VIRTUAL_THREAD} instead of {@code WORKER}: one virtual thread
 *       per message, no pool to size. This project targets Java 17, hence WORKER here.</li>
 * </ul>
 *
 * Mind the deadlines: give the message a {@code dispatch.routes.lookup-user.deadlineMs} above the
 * lookup's usual worst case, and HAProxy a {@code timeout processing} above that. The worker reads
 * the time left from the message's context and gives it to the directory as its timeout, and skips
 * a lookup whose message waited past its deadline for a free worker. And the messages of
 * one NOTIFY share one ACK: a slow message delays the others sent with it, so send it only for
 * the requests that need it ({@code event ... if <condition>}).
 */
public class UserDirectoryVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.deployVerticle(UserDirectoryWorker.class, new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setInstances(config().getInteger("workers", 4))
        .setConfig(config()));
  }
}
