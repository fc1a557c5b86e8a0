package io.logto.operator.sandbox.admission;

import java.util.ArrayList;
import java.util.List;

/**
 * Where in an object a field error is, as the API server names it: {@code spec.scopes[0].name},
 * {@code spec.secret.keys[LOGTO_APP_ID]} for a map entry of a CEL rule, or {@code <nil>} for an
 * error about the object as a whole.
 */
public final class FieldPath {

  /** One step: a property (shown {@code .name}), an index ({@code [0]}) or a map key ({@code [k]}). */
  public record Step(String name, int index, boolean key) {
    static Step child(String name) {
      return new Step(name, -1, false);
    }

    static Step index(int index) {
      return new Step(null, index, false);
    }

    static Step key(String key) {
      return new Step(key, -1, true);
    }

    public boolean isIndex() {
      return name == null;
    }
  }

  /** The path of errors about the object itself, which the API server prints as {@code <nil>}. */
  public static final FieldPath NONE = new FieldPath(null);

  private final List<Step> steps;

  private FieldPath(List<Step> steps) {
    this.steps = steps;
  }

  public static FieldPath root() {
    return new FieldPath(List.of());
  }

  public FieldPath child(String name) {
    return with(Step.child(name));
  }

  public FieldPath index(int index) {
    return with(Step.index(index));
  }

  public FieldPath key(String key) {
    return with(Step.key(key));
  }

  private FieldPath with(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new FieldPath(List.copyOf(more));
  }

  /** The steps from the object's root; empty for {@link #NONE}. */
  public List<Step> steps() {
    return steps == null ? List.of() : steps;
  }

  @Override
  public String toString() {
    if (steps == null) {
      return "<nil>";
    }
    StringBuilder out = new StringBuilder();
    for (Step step : steps) {
      if (step.isIndex()) {
        out.append('[').append(step.index()).append(']');
      } else if (step.key()) {
        out.append('[').append(step.name()).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(step.name());
      }
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath path && toString().equals(path.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
