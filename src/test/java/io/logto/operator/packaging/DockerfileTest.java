package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.packaging.Dockerfile.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds the jar the way CI does, and its runtime stage agrees with the Helm chart
 * (user, port) and with pom.xml (jar name). No Docker engine here: the file itself is checked.
 */
class DockerfileTest {

  static String finalName() {
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Project.read("pom.xml"));
    assertThat(m.find()).as("pom.xml <finalName>").isTrue();
    return m.group(1);
  }

  @Test
  void buildStageRunsTheMavenPackageBuildAndRuntimeStageCopiesItsJar() {
    List<Instruction> all = Dockerfile.instructions();
    List<Instruction> froms = all.stream().filter(i -> i.keyword().equals("FROM")).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0).arguments()).containsIgnoringCase("maven").contains("17")
        .endsWith(" AS build");
    int runtime = froms.get(1).stage();

    assertThat(Dockerfile.stage(all, 0, "RUN")).extracting(Instruction::arguments)
        .anyMatch(run -> run.contains("mvn -B") && run.contains("package"));
    String jar = "target/" + finalName() + ".jar";
    List<Instruction> copies = Dockerfile.stage(all, runtime, "COPY");
    assertThat(copies).singleElement().satisfies(copy -> {
      assertThat(copy.arguments()).startsWith("--from=build");
      assertThat(copy.arguments()).contains(jar + " /app/logto-operator.jar");
    });
  }

  @Test
  void runtimeIsASmallJava17ImageWithoutBuildTools() {
    List<Instruction> all = Dockerfile.instructions();
    Instruction from = all.stream().filter(i -> i.keyword().equals("FROM")).toList().get(1);

    assertThat(from.arguments()).containsAnyOf("17-jre", "java17");
    assertThat(from.arguments()).doesNotContainIgnoringCase("maven").doesNotContain("jdk");
  }

  @Test
  void runtimeRunsAsTheChartsNonRootUser() {
    List<Instruction> all = Dockerfile.instructions();
    int runtime = all.get(all.size() - 1).stage();
    List<Instruction> users = Dockerfile.stage(all, runtime, "USER");

    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).arguments();
    assertThat(user).matches("\\d+(:\\d+)?");
    String uid = user.split(":")[0];
    assertThat(uid).isNotEqualTo("0");
    // The chart's runAsUser must be the image's user, or runAsNonRoot checks a different uid.
    Matcher runAsUser = Pattern.compile("runAsUser:\\s*(\\S+)")
        .matcher(Project.read("helm/logto-operator/templates/deployment.yaml"));
    List<String> chartUsers = new ArrayList<>();
    while (runAsUser.find()) {
      chartUsers.add(runAsUser.group(1));
    }
    assertThat(chartUsers).isNotEmpty().containsOnly(uid);
  }

  @Test
  void entrypointRunsTheJarAndDefaultsToTheRunCommand() {
    List<Instruction> all = Dockerfile.instructions();
    int runtime = all.get(all.size() - 1).stage();

    assertThat(Dockerfile.stage(all, runtime, "ENTRYPOINT")).singleElement()
        .extracting(Instruction::arguments)
        .isEqualTo("[\"java\", \"-jar\", \"/app/logto-operator.jar\"]");
    assertThat(Dockerfile.stage(all, runtime, "CMD")).singleElement()
        .extracting(Instruction::arguments)
        .isEqualTo("[\"run\"]");
    assertThat(Dockerfile.stage(all, runtime, "EXPOSE")).singleElement()
        .extracting(Instruction::arguments)
        .isEqualTo(Project.yamlDocuments(Project.read("helm/logto-operator/values.yaml")).get(0)
            .at("/metrics/port").asText());
    assertThat(Dockerfile.stage(all, runtime, "ENV")).extracting(Instruction::arguments)
        .anySatisfy(env -> assertThat(env).startsWith("JAVA_TOOL_OPTIONS="));
    assertThat(Dockerfile.javaToolOptions().split(" "))
        .contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1");
  }

  /** Whatever the build stage copies must survive .dockerignore, and build output must not. */
  @Test
  void dockerignoreKeepsTheBuildInputsAndDropsTheRest() {
    List<String> rules = Project.read(".dockerignore").lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
    List<String> copied = Dockerfile.stage(Dockerfile.instructions(), 0, "COPY").stream()
        .map(i -> i.arguments().split("\\s+")[0])
        .toList();

    assertThat(copied).containsExactlyInAnyOrder("pom.xml", "src");
    for (String source : copied) {
      assertThat(ignored(rules, source)).as("%s excluded by .dockerignore", source).isFalse();
    }
    assertThat(ignored(rules, "src/main/java/io/logto/operator/Main.java")).isFalse();
    assertThat(ignored(rules, "target")).isTrue();
    assertThat(ignored(rules, ".git")).isTrue();
    assertThat(ignored(rules, ".ci/tools")).isTrue();
  }

  /**
   * .dockerignore semantics for the simple rules used here: the last matching rule wins; "*"
   * matches everything, "!x" or "!x/" re-includes x and everything below it.
   */
  private static boolean ignored(List<String> rules, String path) {
    boolean ignored = false;
    for (String rule : rules) {
      boolean negate = rule.startsWith("!");
      String pattern = (negate ? rule.substring(1) : rule).replaceAll("/$", "");
      boolean matches = pattern.equals("*") || path.equals(pattern)
          || path.startsWith(pattern + "/");
      if (matches) {
        ignored = !negate;
      }
    }
    return ignored;
  }
}
