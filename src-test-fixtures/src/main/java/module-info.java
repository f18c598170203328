/**
 * spoa-vertx-test-fixtures: what users test their agents with. A fake HAProxy speaking SPOP
 * ({@code io.spoavertx.testing}: {@code SpopTestClient}, {@code AckAssert}, golden frames), the real
 * HAProxy in front of an agent ({@code io.spoavertx.testing.haproxy}) and a load generator
 * ({@code io.spoavertx.testing.load}). Its SPOP codec is its own, written apart from the library's.
 */
module io.spoavertx.testing {
  requires transitive io.vertx.core;
  requires transitive org.junit.jupiter.api;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires java.management;
  requires jdk.management;
  requires HdrHistogram;

  exports io.spoavertx.testing;
  exports io.spoavertx.testing.haproxy;
  exports io.spoavertx.testing.load;
}
