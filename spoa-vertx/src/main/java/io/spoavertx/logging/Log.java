package io.spoavertx.logging;

import java.lang.System.Logger.Level;
import java.util.ResourceBundle;

/**
 * The library's logger: a thin layer over {@link System.Logger}, so the agent logs through a
 * public JDK API whose backend the application chooses (java.util.logging by default; SLF4J, Log4j
 * and others through their {@code System.LoggerFinder} bridges). Internal.
 *
 * <p>It is a {@link System.Logger} itself so that backends which infer the caller (java.util.logging
 * records the source class and method) skip its frames and name the class that logged.
 */
public final class Log implements System.Logger {

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

  @Override
  public String getName() {
    return logger.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    return logger.isLoggable(level);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    logger.log(level, bundle, msg, thrown);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    logger.log(level, bundle, format, params);
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
