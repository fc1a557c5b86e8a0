package io.logto.operator.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The repository's Dockerfile read as instructions (no Docker engine here to build it). */
public final class Dockerfile {

  public record Instruction(int stage, String keyword, String arguments) {}

  private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS=";

  private Dockerfile() {}

  /** Every instruction, continuation lines joined, comments dropped; stage 0 is the first FROM. */
  public static List<Instruction> instructions() {
    List<Instruction> instructions = new ArrayList<>();
    int stage = -1;
    StringBuilder pending = new StringBuilder();
    for (String raw : Project.read("Dockerfile").split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String full = pending.toString().strip();
      pending.setLength(0);
      if (full.isEmpty()) {
        continue;
      }
      String[] parts = full.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      if (keyword.equals("FROM")) {
        stage++;
      }
      instructions.add(new Instruction(stage, keyword, parts.length > 1 ? parts[1] : ""));
    }
    return instructions;
  }

  public static List<Instruction> stage(List<Instruction> all, int stage, String keyword) {
    return all.stream().filter(i -> i.stage() == stage && i.keyword().equals(keyword)).toList();
  }

  /**
   * The JVM options the runtime stage sets in {@code JAVA_TOOL_OPTIONS}, so that tests running
   * the image's jar run it with the image's JVM.
   */
  public static String javaToolOptions() {
    List<Instruction> all = instructions();
    int runtime = all.get(all.size() - 1).stage();
    return stage(all, runtime, "ENV").stream()
        .map(Instruction::arguments)
        .filter(env -> env.startsWith(JAVA_TOOL_OPTIONS))
        .map(env -> env.substring(JAVA_TOOL_OPTIONS.length()).replaceAll("^\"|\"$", ""))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new IllegalStateException("the Dockerfile sets no JAVA_TOOL_OPTIONS"));
  }
}
