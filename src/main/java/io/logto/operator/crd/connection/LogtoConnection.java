package io.logto.operator.crd.connection;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Logto tenant that the custom resources of this namespace may use. */
@Group("m2m.logto.io")
@Version("v1alpha1")
@ShortNames({"logtoconn", "lconn"})
@Categories({"logto", "logto-connections"})
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
public class LogtoConnection extends CustomResource<LogtoConnectionSpec, LogtoConnectionStatus>
    implements Namespaced {}
