/**
 * Runs a real haproxy in tests, in front of the SPOE agent under test.
 *
 * <ul>
 *   <li>{@link io.spoavertx.testing.haproxy.HaproxyConfig}: builds haproxy.cfg and spoe.conf (HTTP
 *       frontend, SPOE filter, rules, agent backend) in the dialect of the installed version;
 *   <li>{@link io.spoavertx.testing.haproxy.HaproxyProcess}: starts and stops haproxy, exposes its
 *       URL, log and runtime API ({@code awaitServerUp});
 *   <li>{@link io.spoavertx.testing.haproxy.HaproxyExtension}: the JUnit 5 extension (skips the
 *       test if haproxy is missing, fails it on CI);
 *   <li>{@link io.spoavertx.testing.haproxy.HaproxyBinary}: finds haproxy and its version.
 * </ul>
 */
package io.spoavertx.testing.haproxy;
