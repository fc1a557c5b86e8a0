package io.logto.operator.crd.common;

/** What happens to the Logto object when its custom resource is deleted. */
public enum DeletionPolicy {
  /** Delete the Logto object the operator created. */
  Delete,
  /** Leave the Logto object in place. */
  Retain
}
