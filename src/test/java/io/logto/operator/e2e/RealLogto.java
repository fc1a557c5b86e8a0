package io.logto.operator.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Logto for the whole end-to-end suite, started (or attached to, see {@link
 * RealLogtoServer}) when a test first asks for a {@link RealLogtoServer} parameter, and stopped
 * when the test JVM exits. Without {@code ../shared/logto-server} the tests that ask for it
 * are skipped with a loud message, except in CI ({@code CI=true}), where its absence fails them.
 */
public final class RealLogto implements ParameterResolver {

  static RealLogtoServer server(ExtensionContext context) {
    requireAvailable();
    return shared();
  }

  /**
   * Skips the calling test (loudly) where no real Logto can be started, or fails it in CI; for a
   * test that starts instances of its own ({@link RealLogtoServer#startOwn}) rather than use the
   * suite's.
   */
  static void requireAvailable() {
    if (!RealLogtoServer.available()) {
      String message = "No real Logto: " + RealLogtoServer.SCRIPT_DIR + "/start.sh is absent"
          + " (set LOGTO_SERVER_DIR to its folder). The end-to-end tests on a real Logto are"
          + " SKIPPED.";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message.replace("SKIPPED", "required in CI"));
      }
      System.err.println("\n" + "!".repeat(100) + "\n" + message + "\n" + "!".repeat(100) + "\n");
      assumeTrue(false, message);
    }
  }

  private static RealLogtoServer shared;

  /**
   * The suite's real Logto, started on first use (its own shutdown hook stops it with the JVM);
   * for a test that uses it only where it is available.
   */
  static synchronized RealLogtoServer shared() {
    if (shared == null) {
      shared = RealLogtoServer.startOrAttach();
    }
    return shared;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealLogtoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }
}
