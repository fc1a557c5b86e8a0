package io.logto.operator.crd.connection;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Logto tenant that custom resources of the namespaces it allows may use (cluster-scoped). */
@Group("m2m.logto.io")
@Version("v1alpha1")
@ShortNames({"clusterlogtoconn", "clconn"})
@Categories("logto-connections")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint")
@AdditionalPrinterColumn(
    name = "Last token",
    jsonPath = ".status.lastTokenTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ClusterLogtoConnection
    extends CustomResource<ClusterLogtoConnectionSpec, LogtoConnectionStatus> {}
