package io.logto.operator.logto.model;

import java.util.Map;

/** Body of an application create; the type is always MachineToMachine. */
public record NewApplication(String name, String description, Map<String, Object> customData) {}
