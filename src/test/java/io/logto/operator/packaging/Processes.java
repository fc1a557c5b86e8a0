package io.logto.operator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end (helm, kubectl, java, jdeps) and captures what it printed. */
public final class Processes {

  /** The exit code and the output, standard error merged into standard output. */
  public record Result(int exitCode, String output) {}

  private Processes() {}

  /**
   * Runs {@code command} with {@code environment} added to this JVM's. The output goes to a file,
   * not a pipe, so that a program that hangs with its output open still meets the timeout.
   */
  public static Result run(List<String> command, Map<String, String> environment,
      Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("process-output", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout + ": "
            + String.join(" ", command) + "\n" + read(output));
      }
      return new Result(process.exitValue(), read(output));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
