package io.logto.operator.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/** The lines a user types while the sandbox watches its folder. */
final class Keyboard {

  private Keyboard() {}

  /**
   * Hands each line typed on {@code in} to {@code onLine}, until the stream ends. The reader is a
   * daemon thread: a read from a terminal cannot be interrupted, and it must not keep the JVM
   * alive after Ctrl-C.
   */
  static void listen(InputStream in, Consumer<String> onLine) {
    Thread reader = new Thread(() -> {
      try {
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          onLine.accept(line);
        }
      } catch (IOException e) {
        // stdin closed or gone: the table can no longer be asked for, nothing else changes
      }
    }, "sandbox-keyboard");
    reader.setDaemon(true);
    reader.start();
  }
}
