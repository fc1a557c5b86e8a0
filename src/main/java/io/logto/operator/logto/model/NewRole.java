package io.logto.operator.logto.model;

import java.util.List;

/** Body of a role create; the type is always MachineToMachine. */
public record NewRole(String name, String description, List<String> scopeIds) {}
