package io.logto.operator.logto.model;

/** A partial update of a role: null fields are left unchanged. */
public record RoleUpdate(String name, String description) {}
