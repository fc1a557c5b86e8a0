package io.logto.operator.logto.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A Logto role; the operator manages those of type {@code MachineToMachine}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Role(String id, String name, String description, String type) {
  public static final String MACHINE_TO_MACHINE = "MachineToMachine";
}
