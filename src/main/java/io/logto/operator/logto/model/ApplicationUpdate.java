package io.logto.operator.logto.model;

import java.util.Map;

/** A partial update of an application: null fields are left unchanged. */
public record ApplicationUpdate(String name, String description, Map<String, Object> customData) {}
