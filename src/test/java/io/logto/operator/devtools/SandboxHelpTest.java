package io.logto.operator.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sandbox's --help and the README tell the same, true story. */
class SandboxHelpTest {

  private static final Pattern README_ROW = Pattern.compile("^\\| (\\d+) \\| .+ \\|$");

  private static Set<Integer> helpExitCodes() {
    Set<Integer> codes = new TreeSet<>();
    new CommandLine(new SandboxCommand()).getCommandSpec().usageMessage().exitCodeList()
        .keySet().forEach(code -> codes.add(Integer.parseInt(code.strip())));
    return codes;
  }

  /** The rows of the table that follows "Exit codes of `sandbox`" in the README. */
  private static Set<Integer> readmeExitCodes() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("Exit codes of `sandbox`")) {
        assertThat(start).as("one exit code list in the README").isEqualTo(-1);
        start = i;
      }
    }
    assertThat(start).as("the README's exit codes of sandbox").isNotNegative();
    List<String> table = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      table.add(lines.get(i));
    }
    Set<Integer> codes = new TreeSet<>();
    for (String row : table.subList(2, table.size())) {
      Matcher matcher = README_ROW.matcher(row);
      assertThat(matcher.matches()).as(row).isTrue();
      codes.add(Integer.parseInt(matcher.group(1)));
    }
    return codes;
  }

  @Test
  void theReadmeListsTheExitCodesTheHelpLists() throws Exception {
    assertThat(readmeExitCodes()).isEqualTo(helpExitCodes());
  }

  @Test
  void theHelpListsEveryExitCodeTheSandboxPicocliAndTheJvmUse() throws Exception {
    Set<Integer> used = new TreeSet<>();
    for (Field field : Sandbox.class.getFields()) {
      if (field.getType() == int.class && Modifier.isStatic(field.getModifiers())) {
        used.add(field.getInt(null));
      }
    }
    assertThat(used).as("Sandbox's exit codes").containsExactlyInAnyOrder(0, 1, 2, 3);
    used.add(CommandLine.ExitCode.USAGE);
    used.add(CommandLine.ExitCode.SOFTWARE);
    used.add(128 + 2); // Ctrl-C: the JVM exits with 128 + SIGINT after its shutdown hooks
    used.add(128 + 15); // SIGTERM

    assertThat(helpExitCodes()).isEqualTo(used);
  }

  @Test
  void theHelpNamesThePrivilegedNamespacesOptionAndTheExitCodes() {
    StringWriter help = new StringWriter();
    CommandLine command = new CommandLine(new SandboxCommand());
    command.setOut(new PrintWriter(help));

    assertThat(command.execute("--help")).isZero();

    assertThat(help.toString()).contains("--privileged-namespaces=NS[,NS...]",
        "Empty for none", "Exit codes:", "press Enter", "in clear");
  }

  @Test
  void aPrivilegedNamespaceMustBeANamespaceName() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SandboxCommand());
    command.setErr(new PrintWriter(err));

    int code = command.execute("--once", "--privileged-namespaces", "default,Team_A");

    assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--privileged-namespaces: 'Team_A' is not a namespace"
        + " name");
  }

  @Test
  void privilegedNamespacesAreAListAndEmptyMeansNone() {
    SandboxCommand list = new SandboxCommand();
    new CommandLine(list).parseArgs("--privileged-namespaces", " ops, team-a ,");
    SandboxCommand none = new SandboxCommand();
    new CommandLine(none).parseArgs("--privileged-namespaces=");
    SandboxCommand unset = new SandboxCommand();
    new CommandLine(unset).parseArgs();

    assertThat(list.options().privilegedNamespaces()).containsExactlyInAnyOrder("ops", "team-a");
    assertThat(none.options().privilegedNamespaces()).isEmpty();
    assertThat(unset.options().privilegedNamespaces()).isEqualTo(
        Sandbox.DEFAULT_PRIVILEGED_NAMESPACES);
  }
}
