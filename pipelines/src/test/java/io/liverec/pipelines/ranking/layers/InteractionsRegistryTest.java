package io.liverec.pipelines.ranking.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.liverec.api.v1alpha1.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CRD's own check of {@code model.interactions} (a CEL rule on {@link ModelSpec}, which the API
 * server evaluates without any Java) names exactly the layers registered in {@link Interactions}:
 * registering a layer without allowing its name in the CRD, or the reverse, fails here.
 */
class InteractionsRegistryTest {

  @Test
  void theCrdRuleAllowsExactlyTheRegisteredLayers() throws Exception {
    ValidationRule rule =
        Arrays.stream(ModelSpec.class.getAnnotationsByType(ValidationRule.class))
            .filter(r -> ".interactions".equals(r.fieldPath()))
            .findFirst()
            .orElseThrow();
    Matcher m = Pattern.compile("'([a-z0-9]+)'").matcher(rule.value());
    List<String> allowed = m.results().map(r -> r.group(1)).toList();
    List<String> registered =
        Arrays.stream(Interactions.values()).map(Interactions::specName).toList();
    assertThat(allowed).containsExactlyInAnyOrderElementsOf(registered);
    for (String name : registered) {
      assertThat(rule.message()).contains(name);
    }
    Size size = ModelSpec.class.getField("interactions").getAnnotation(Size.class);
    assertThat(size.max()).isEqualTo(registered.size());
  }
}
