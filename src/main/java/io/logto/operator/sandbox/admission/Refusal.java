package io.logto.operator.sandbox.admission;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A write the API server refuses, as the {@code Status} it answers: for an invalid object, 422
 * with reason {@code Invalid}, the kind and name in {@code details} and one cause per field error,
 * which is what Fabric8 clients and kubectl read.
 */
public record Refusal(int code, Status status) {

  /** 422 Invalid, worded as k8s.io/apimachinery's NewInvalid. */
  public static Refusal invalid(String group, String kind, String name, List<FieldError> errors) {
    List<StatusCause> causes = new ArrayList<>();
    for (FieldError error : errors) {
      causes.add(new StatusCauseBuilder().withReason(error.type().causeType())
          .withMessage(error.body()).withField(error.field().toString()).build());
    }
    String qualified = group.isEmpty() ? kind : kind + "." + group;
    Status status = new StatusBuilder()
        .withStatus("Failure")
        .withCode(422)
        .withReason("Invalid")
        .withMessage(qualified + " " + GoText.quote(name) + " is invalid: "
            + aggregate(errors.stream().map(FieldError::toString).toList()))
        .withNewDetails().withGroup(group).withKind(kind).withName(name).withCauses(causes)
        .endDetails()
        .build();
    return new Refusal(422, status);
  }

  /** 400 BadRequest, e.g. an object that cannot be decoded as its kind. */
  public static Refusal badRequest(String message) {
    return new Refusal(400, new StatusBuilder().withStatus("Failure").withCode(400)
        .withReason("BadRequest").withMessage(message).build());
  }

  /** Several errors as Go's aggregate prints them: {@code [a, b]}, duplicates dropped. */
  static String aggregate(List<String> messages) {
    Set<String> distinct = new LinkedHashSet<>(messages);
    if (distinct.size() == 1) {
      return distinct.iterator().next();
    }
    return "[" + String.join(", ", distinct) + "]";
  }

  /**
   * What kubectl prints for a refusal: {@code The LogtoM2MApp "x" is invalid: spec.f: ...}, one
   * {@code * field: message} line per cause when there are several; {@code Error from server
   * (Reason): message} for other refusals.
   */
  public static String asKubectlPrintsIt(Status status) {
    var details = status.getDetails();
    if ("Invalid".equals(status.getReason()) && details != null) {
      String headline = "The " + details.getKind() + " " + GoText.quote(details.getName())
          + " is invalid";
      List<String> causes = details.getCauses() == null ? List.of() : details.getCauses().stream()
          .map(c -> c.getField() + ": " + c.getMessage()).distinct().toList();
      if (causes.isEmpty()) {
        return headline;
      }
      if (causes.size() == 1) {
        return headline + ": " + causes.get(0);
      }
      return headline + ":\n* " + String.join("\n* ", causes);
    }
    String reason = status.getReason() == null || status.getReason().isEmpty()
        ? "" : " (" + status.getReason() + ")";
    return "Error from server" + reason + ": " + status.getMessage();
  }
}
