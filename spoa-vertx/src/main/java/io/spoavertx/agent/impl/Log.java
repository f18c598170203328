package io.spoavertx.agent.impl;

import java.lang.System.Logger.Level;

/**
 * The library's logger: a thin layer over {@link System.Logger}, so the agent logs through a
 * public JDK API whose backend the application chooses (java.util.logging by default; SLF4J, Log4j
 * and others through their {@code System.LoggerFinder} bridges). Internal.
 */
public final class Log {

  private final System.Logger logger;

  private Log(System.Logger logger) {
    this.logger = logger;
  }

  public static Log get(Class<?> type) {
    return get(type.getName());
  }

  public static Log get(String name) {
    return new Log(System.getLogger(name));
  }

  public String name() {
    return logger.getName();
  }

  public boolean isDebugEnabled() {
    return logger.isLoggable(Level.DEBUG);
  }

  public void debug(String message) {
    logger.log(Level.DEBUG, message);
  }

  public void info(String message) {
    logger.log(Level.INFO, message);
  }

  public void warn(String message) {
    logger.log(Level.WARNING, message);
  }

  public void warn(String message, Throwable t) {
    logger.log(Level.WARNING, message, t);
  }

  public void error(String message, Throwable t) {
    logger.log(Level.ERROR, message, t);
  }
}
