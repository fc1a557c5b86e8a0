package io.logto.operator.crd.app;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Logto machine-to-machine application whose credentials are written into a Secret. */
@Group("m2m.logto.io")
@Version("v1alpha1")
@ShortNames({"logtoapp", "m2mapp"})
@Categories("logto")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Logto ID", jsonPath = ".status.appId")
@AdditionalPrinterColumn(name = "Secret", jsonPath = ".status.secretName")
@AdditionalPrinterColumn(
    name = "Last rotation",
    jsonPath = ".status.credentials.lastRotation",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LogtoM2MApp extends CustomResource<LogtoM2MAppSpec, LogtoM2MAppStatus>
    implements Namespaced {}
