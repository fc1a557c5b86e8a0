package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The name index of the embedded API server changes no answer, only how fast it comes. */
class EmbeddedKubernetesTest {

  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient k8s;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    k8s = kubernetes.client();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  private static ConfigMap configMap(String ns, String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name)
        .addToLabels("team", ns).endMetadata().addToData("v", value).build();
  }

  @Test
  void objectsOfTheSameNameInOtherNamespacesAndKindsStayApart() {
    k8s.resource(configMap("a", "same", "a")).create();
    k8s.resource(configMap("b", "same", "b")).create();
    k8s.resource(new SecretBuilder().withNewMetadata().withNamespace("a").withName("same")
        .endMetadata().addToStringData("v", "secret").build()).create();
    for (int i = 0; i < 50; i++) {
      k8s.resource(configMap("a", "other-" + i, "x")).create();
    }

    assertThat(k8s.configMaps().inNamespace("a").withName("same").get().getData())
        .isEqualTo(Map.of("v", "a"));
    assertThat(k8s.configMaps().inNamespace("b").withName("same").get().getData())
        .isEqualTo(Map.of("v", "b"));
    assertThat(k8s.configMaps().inNamespace("c").withName("same").get()).isNull();

    k8s.configMaps().inNamespace("b").withName("same")
        .edit(c -> new ConfigMapBuilder(c).addToData("v", "b2").build());
    assertThat(k8s.configMaps().inNamespace("b").withName("same").get().getData())
        .containsEntry("v", "b2");
    assertThat(k8s.configMaps().inNamespace("a").withName("same").get().getData())
        .containsEntry("v", "a");

    k8s.configMaps().inNamespace("a").withName("same").delete();
    assertThat(k8s.configMaps().inNamespace("a").withName("same").get()).isNull();
    assertThat(k8s.secrets().inNamespace("a").withName("same").get()).isNotNull();
    assertThat(k8s.configMaps().inNamespace("b").withName("same").get()).isNotNull();

    assertThat(k8s.configMaps().inNamespace("a").list().getItems()).hasSize(50);
    assertThat(k8s.configMaps().inAnyNamespace().withLabel("team", "b").list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactly("same");

    k8s.resource(configMap("a", "same", "again")).create();
    assertThat(k8s.configMaps().inNamespace("a").withName("same").get().getData())
        .containsEntry("v", "again");
  }

  @Test
  void leaderElectionsRulesReviewIsAnsweredWhileEverythingElseIsStored() {
    var review = k8s.authorization().v1().selfSubjectRulesReview().create(
        new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace("default").endSpec()
            .build());

    assertThat(review.getStatus().getResourceRules()).singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("*"));
    k8s.resource(configMap("review", "stored", "yes")).create();
    assertThat(k8s.configMaps().inNamespace("review").withName("stored").get()).isNotNull();
  }
}
