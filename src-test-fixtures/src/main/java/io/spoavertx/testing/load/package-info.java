/**
 * A load generator for SPOA agents: {@link io.spoavertx.testing.load.LoadGenerator} (a fake HAProxy
 * with C connections × P NOTIFYs in flight, closed loop or fixed rate, HAProxy 2.6 or 3.x ids and
 * HELLO, a configurable message mix) reporting a {@link io.spoavertx.testing.load.LoadReport}
 * (messages/s, HdrHistogram latency, errors); its command line {@link io.spoavertx.testing.load.LoadMain};
 * and {@link io.spoavertx.testing.load.TrivialAgent}, the cheapest possible agent, to measure the
 * generator's own ceiling. See BENCHMARKS.md at the repository root.
 */
package io.spoavertx.testing.load;
