package io.logto.operator.devtools;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sends the log (the operator's and its libraries') to a file instead of the screen, so that the
 * sandbox's screen holds what its user reads: the objects, their state, the Secrets. Closing it
 * puts the screen's appenders back (tests run several commands in one JVM).
 */
final class LogToFile implements AutoCloseable {

  /** As logback.xml writes it to the screen. */
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  private final Logger root;
  private final List<Appender<ILoggingEvent>> screen = new ArrayList<>();
  private final FileAppender<ILoggingEvent> file;

  private LogToFile(Path path) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    file = new FileAppender<>();
    file.setContext(context);
    file.setName("sandbox-log-file");
    file.setFile(path.toString());
    file.setAppend(false);
    file.setEncoder(encoder);
    file.start();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      screen.add(it.next());
    }
    screen.forEach(root::detachAppender);
    root.addAppender(file);
  }

  /** From now on, log lines go to {@code path} (overwritten), not to the screen. */
  static LogToFile start(Path path) {
    return new LogToFile(path);
  }

  @Override
  public void close() {
    root.detachAppender(file);
    file.stop();
    screen.forEach(root::addAppender);
  }
}
