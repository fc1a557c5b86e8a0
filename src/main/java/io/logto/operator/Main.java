package io.logto.operator;

/** Entry point: dispatches to the operator, the sandbox, the simulator and the benchmark. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("logto-operator");
  }
}
