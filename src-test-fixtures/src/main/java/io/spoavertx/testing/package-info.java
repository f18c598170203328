/**
 * A fake HAProxy for testing SPOA agents over SPOP v2: {@link io.spoavertx.testing.SpopTestClient}
 * (HELLO, pipelined and fragmented NOTIFYs, DISCONNECT), its own client-side
 * {@link io.spoavertx.testing.SpopClientCodec}, the typed model ({@link io.spoavertx.testing.TypedValue},
 * {@link io.spoavertx.testing.Message}, {@link io.spoavertx.testing.Ack}), assertions
 * ({@link io.spoavertx.testing.AckAssert}), frames captured from real HAProxy
 * ({@link io.spoavertx.testing.GoldenFrames}) and an allocation meter for tests
 * ({@link io.spoavertx.testing.Allocations}). The load generator is in {@code io.spoavertx.testing.load}.
 */
package io.spoavertx.testing;
