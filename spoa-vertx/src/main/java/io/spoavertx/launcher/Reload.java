package io.spoavertx.launcher;

import io.spoavertx.logging.Log;

/** SIGHUP → reload, through the JDK's signal API (jdk.unsupported, present in every JDK since 9). */
final class Reload {

  private Reload() {
  }

  /** Runs {@code action} on each SIGHUP (on the JVM's signal thread); logs why not if the JVM refuses. */
  static void onSighup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // e.g. -Xrs, or a platform without SIGHUP
      Log.get(SpoaLauncher.class).warn("SIGHUP cannot be handled here (" + e.getMessage()
          + "): reload by signal is off, SpoaMainVerticle.reload still works");
    }
  }
}
