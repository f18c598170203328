package io.spoavertx.handler;

import io.vertx.core.Future;

/**
 * Answers one SPOE message with the actions (variables to set or unset) HAProxy should apply.
 * A handler that fails, throws or misses the message deadline contributes no actions; the ACK
 * still goes out with the actions of the other messages of the NOTIFY.
 */
@FunctionalInterface
public interface SpoeHandler {

  /**
   * Answers one message. A {@link BadArgumentException} thrown, or as the cause of the failed
   * future, gives outcome {@code bad_args}; any other failure {@code error}.
   *
   * @param message the message, valid until the returned future completes (see "Lifetime" in
   *     {@link SpoeMessage})
   * @return the actions, frozen when the agent takes them; a null result sets nothing, a null
   *     future or a failed one fails the message (no actions)
   */
  Future<Actions> handle(SpoeMessage message);

  /**
   * A handler that answers on the calling thread by adding its actions to a list the agent lends
   * it: {@code SpoeHandler.sync((m, actions) -> actions.setVar(Scope.TXN, "score", score(m)))}.
   * Registered like any handler (a direct handler, or {@link io.spoavertx.agent.SpoeHandlers#register} in this JVM),
   * it costs no allocation per message: the agent reuses the list, as it reuses the message view,
   * for a later message once this one's ACK is written. The list is the handler's only during
   * the call: keep no reference to it. Returning normally answers; throwing fails the message (no
   * actions). Where the agent cannot lend a list (a handler on another cluster node), it is called
   * through {@link #handle} with a new list.
   *
   * @param handler called with the message and the lent action list
   * @return the handler, a {@link SyncSpoeHandler}
   * @throws NullPointerException if {@code handler} is null
   */
  static SpoeHandler sync(Sync handler) {
    return new SyncSpoeHandler(handler);
  }

  /**
   * A {@link #sync} handler that gets the message's arguments as a record:
   * <pre>{@code
   * record CheckArgs(InetAddress ip, long port, String ua) { }
   * SpoeHandler h = SpoeHandler.bound(CheckArgs.class, (args, m, actions) ->
   *     actions.setVar(Scope.TXN, "score", score(args.ip(), args.port(), args.ua())));
   * }</pre>
   * Each component reads the argument of its name, or of its name in kebab-case or snake_case
   * ({@code userAgent} reads {@code userAgent}, {@code user-agent} or {@code user_agent}), with the
   * type of the {@code require...} accessor of its type: {@code long}/{@code Long} and
   * {@code int}/{@code Integer} an integer type (an {@code int} one within int's range),
   * {@code boolean}/{@code Boolean} BOOL, {@code String} STRING, {@code InetAddress} IPV4 or IPV6,
   * {@code Buffer} BINARY or STRING (a slice, valid as long as the message), {@code byte[]} the same
   * copied, {@code Object} any type. A primitive component needs its argument; any other is null
   * when the argument is absent or NULL. An argument of another type, or a primitive one missing or
   * NULL, fails the message with outcome {@code bad_args} ({@link BadArgumentException}) without
   * calling {@code handler}. The record is checked here, once; the argument names are matched
   * once per message name.
   *
   * @param type the record class: public, or in a package open to module {@code io.spoavertx}
   * @param handler called with the record, the message and the lent action list
   * @param <R> the record type
   * @return the handler
   * @throws IllegalArgumentException if a component has a type no argument maps to
   */
  static <R extends Record> SpoeHandler bound(Class<R> type, Bound<R> handler) {
    ArgsBinder<R> binder = ArgsBinder.of(type);
    java.util.Objects.requireNonNull(handler, "handler");
    return new SyncSpoeHandler((m, actions) -> handler.handle(binder.bind(m), m, actions));
  }

  /** See {@link #sync}. */
  @FunctionalInterface
  interface Sync {
    /**
     * Handles one message.
     *
     * @param message the message (its {@link SpoeMessage#context()} included)
     * @param actions the list to add actions to, lent for the call
     * @throws Exception to fail the message (a {@link BadArgumentException}: outcome {@code bad_args})
     */
    void handle(SpoeMessage message, Actions actions) throws Exception;
  }

  /**
   * See {@link #bound}.
   *
   * @param <R> the record type
   */
  @FunctionalInterface
  interface Bound<R extends Record> {
    /**
     * Handles one message.
     *
     * @param args the message's arguments, bound to the record
     * @param message the message (its {@link SpoeMessage#context()} included)
     * @param actions the list to add actions to, lent for the call
     * @throws Exception to fail the message (a {@link BadArgumentException}: outcome {@code bad_args})
     */
    void handle(R args, SpoeMessage message, Actions actions) throws Exception;
  }
}
