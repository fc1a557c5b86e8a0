package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What watch mode prints, without an operator behind it. */
class WatchScreenTest {

  private static final ObjectKey SHOP = new ObjectKey("LogtoApiResource", "default", "shop");
  private static final ObjectKey READER = new ObjectKey("LogtoRole", "default", "reader");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final WatchScreen screen = new WatchScreen(new PrintWriter(out), new PrintWriter(err));

  private static ObjectState ready(ObjectKey key, String id) {
    return new ObjectState(key, null, id, List.of(), ObjectState.Settle.READY, "Synced", "in sync",
        List.of());
  }

  private static ExamplesFolder.SyncResult problems(String... errors) {
    return new ExamplesFolder.SyncResult(List.of(), List.of(), List.of(), List.of(errors));
  }

  @Test
  void onlyTheObjectsWhoseStateChangedArePrinted() {
    screen.shown(List.of(ready(SHOP, "r1")));

    screen.settled(List.of(ready(SHOP, "r1"), ready(READER, "role1")));
    screen.settled(List.of(ready(SHOP, "r2"), ready(READER, "role1")));
    screen.settled(List.of(ready(SHOP, "r2"), ready(READER, "role1")));

    assertThat(out.toString()).isEqualTo("""
          LogtoRole default/reader: Ready (Synced, Logto id role1)
          LogtoApiResource default/shop: Ready (Synced, Logto id r2)
          no object changed state
        """);
  }

  @Test
  void aProblemThatLastsIsPrintedOnceAndAgainWhenItComesBack() {
    screen.sync(problems("examples/a.yaml: cannot read: Permission denied"));
    screen.sync(problems("examples/a.yaml: cannot read: Permission denied"));
    screen.sync(problems());
    screen.sync(problems("examples/a.yaml: cannot read: Permission denied"));

    assertThat(err.toString().lines()).containsExactly(
        "sandbox: examples/a.yaml: cannot read: Permission denied",
        "sandbox: examples/a.yaml: cannot read: Permission denied");
  }

  @Test
  void aFixedFileAndTheDocumentsStillRefusedAreNamed() {
    Path file = Path.of("examples", "roles.yaml");
    screen.sync(new ExamplesFolder.SyncResult(List.of(), List.of(), List.of(file), List.of()));
    screen.stillRefused(List.of(new Rejection("examples/apps.yaml", "LogtoM2MApp", "default",
        "wrong-policy", "The LogtoM2MApp \"wrong-policy\" is invalid:\n* spec.deletionPolicy:"
            + " Unsupported value: \"Sometimes\"")));

    assertThat(out.toString()).isEqualTo("""
          fixed examples/roles.yaml (valid YAML again)

        Still refused:
          refused LogtoM2MApp default/wrong-policy (apps.yaml): The LogtoM2MApp "wrong-policy" \
        is invalid:
            * spec.deletionPolicy: Unsupported value: "Sometimes"
        """);
  }
}
