package io.logto.operator.crd.apiresource;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Logto API resource (an indicator such as https://shopping.api) and its permissions. */
@Group("m2m.logto.io")
@Version("v1alpha1")
@ShortNames({"logtoapi", "lapi"})
@Categories("logto")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Indicator", jsonPath = ".spec.indicator")
@AdditionalPrinterColumn(name = "Logto ID", jsonPath = ".status.resourceId")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LogtoApiResource extends CustomResource<LogtoApiResourceSpec, LogtoApiResourceStatus>
    implements Namespaced {}
