package io.logto.operator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** `--log-level`, shared by every command. */
public final class LoggingOptions {

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "Log level: TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).",
      defaultValue = "INFO")
  String level;

  /** Applies the level to the root logger (and to the operator's own loggers). */
  public void apply() {
    apply(level);
  }

  public static void apply(String level) {
    Level parsed = Level.toLevel(level == null ? "INFO" : level.toUpperCase(), null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "--log-level must be TRACE, DEBUG, INFO, WARN or ERROR, got " + level);
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
    ((Logger) LoggerFactory.getLogger("io.logto.operator")).setLevel(parsed);
  }
}
