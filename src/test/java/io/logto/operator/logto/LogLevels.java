package io.logto.operator.logto;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Sets logback levels for a test and puts the previous ones back afterwards. */
final class LogLevels {

  private final Level level;
  private final String[] names;
  private final Map<Logger, Level> previous = new LinkedHashMap<>();

  LogLevels(Level level, String... names) {
    this.level = level;
    this.names = names;
  }

  void apply() {
    for (String name : names) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      previous.put(logger, logger.getLevel());
      logger.setLevel(level);
    }
  }

  void restore() {
    previous.forEach(Logger::setLevel);
    previous.clear();
  }
}
