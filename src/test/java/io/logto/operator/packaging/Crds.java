package io.logto.operator.packaging;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;

/** The CRDs the build generated, parsed. */
final class Crds {

  private Crds() {}

  static CustomResourceDefinition generated(String plural) {
    Path file = CrdDriftTest.GENERATED.resolve(plural + "." + Project.GROUP + "-v1.yml");
    return Serialization.unmarshal(Project.read(file), CustomResourceDefinition.class);
  }

  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0);
  }

  static JSONSchemaProps root(CustomResourceDefinition crd) {
    return version(crd).getSchema().getOpenAPIV3Schema();
  }

  static JSONSchemaProps spec(CustomResourceDefinition crd) {
    return root(crd).getProperties().get("spec");
  }

  /** The schema at a dotted path below spec; "[]" steps into array items. */
  static JSONSchemaProps at(CustomResourceDefinition crd, String path) {
    JSONSchemaProps node = spec(crd);
    for (String step : path.split("\\.")) {
      if (step.equals("[]")) {
        node = node.getItems().getSchema();
      } else {
        node = node.getProperties().get(step);
      }
      if (node == null) {
        throw new AssertionError("no schema at spec." + path + " of " + crd.getMetadata().getName());
      }
    }
    return node;
  }
}
