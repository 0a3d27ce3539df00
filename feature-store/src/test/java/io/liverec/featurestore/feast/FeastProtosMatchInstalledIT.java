package io.liverec.featurestore.feast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import feast.proto.core.DataSourceProto;
import feast.proto.core.EntityProto;
import feast.proto.core.FeatureProto;
import feast.proto.core.FeatureViewProto;
import feast.proto.core.ProjectProto;
import feast.proto.core.RegistryProto;
import feast.proto.serving.ServingAPIProto;
import feast.proto.types.EntityKeyProto;
import feast.proto.types.ValueProto;
import io.liverec.featurestore.FeastPython;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trimmed Feast protos LiveRec compiles (src/main/protobuf) declare every field with the
 * number, type, cardinality and message type of the installed Feast package's own descriptors.
 */
class FeastProtosMatchInstalledIT {
  @Test
  void everyDeclaredFieldMatchesTheInstalledFeast() throws Exception {
    List<Descriptor> mine =
        List.of(
            RegistryProto.Registry.getDescriptor(),
            RegistryProto.ProjectMetadata.getDescriptor(),
            EntityProto.Entity.getDescriptor(),
            EntityProto.EntitySpecV2.getDescriptor(),
            EntityProto.EntityMeta.getDescriptor(),
            FeatureViewProto.FeatureView.getDescriptor(),
            FeatureViewProto.FeatureViewSpec.getDescriptor(),
            FeatureViewProto.FeatureViewMeta.getDescriptor(),
            FeatureViewProto.MaterializationInterval.getDescriptor(),
            FeatureProto.FeatureSpecV2.getDescriptor(),
            DataSourceProto.DataSource.getDescriptor(),
            DataSourceProto.DataSource.FileOptions.getDescriptor(),
            ProjectProto.Project.getDescriptor(),
            ProjectProto.ProjectSpec.getDescriptor(),
            ValueProto.Value.getDescriptor(),
            ValueProto.RepeatedValue.getDescriptor(),
            EntityKeyProto.EntityKey.getDescriptor(),
            ServingAPIProto.GetOnlineFeaturesRequest.getDescriptor(),
            ServingAPIProto.GetOnlineFeaturesResponse.getDescriptor(),
            ServingAPIProto.GetOnlineFeaturesResponse.FeatureVector.getDescriptor(),
            ServingAPIProto.GetOnlineFeaturesResponseMetadata.getDescriptor());
    List<String> args = new ArrayList<>(List.of("descriptors"));
    mine.forEach(d -> args.add(d.getFullName()));
    JsonNode installed = new ObjectMapper().readTree(FeastPython.tool(args.toArray(String[]::new)));
    int fields = 0;
    for (Descriptor d : mine) {
      for (FieldDescriptor f : d.getFields()) {
        JsonNode theirs = installed.get(d.getFullName()).get(f.getName());
        assertThat(theirs)
            .as("%s.%s in the installed feast", d.getFullName(), f.getName())
            .isNotNull();
        assertThat(theirs.get(0).asInt())
            .as("number of " + f.getFullName())
            .isEqualTo(f.getNumber());
        assertThat(theirs.get(1).asInt())
            .as("type of " + f.getFullName())
            .isEqualTo(f.toProto().getType().getNumber());
        assertThat(theirs.get(2).asInt())
            .as("label of " + f.getFullName())
            .isEqualTo(f.toProto().getLabel().getNumber());
        String type =
            f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                ? f.getMessageType().getFullName()
                : f.getJavaType() == FieldDescriptor.JavaType.ENUM
                    ? f.getEnumType().getFullName()
                    : "";
        assertThat(theirs.get(3).asText()).as("message type of " + f.getFullName()).isEqualTo(type);
        fields++;
      }
    }
    assertThat(fields).isGreaterThan(80);
  }
}
