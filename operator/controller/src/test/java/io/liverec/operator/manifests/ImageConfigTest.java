package io.liverec.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.testenv.TestEnv;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * No registry is reachable here, so CI checks the image configuration instead of building: the Jib
 * settings of both images name what the manifests and the operator's defaults deploy.
 */
class ImageConfigTest {
  private static final Path ROOT = TestEnv.repoRoot();

  @Test
  void operatorAndTrainerImagesAgreeWithTheManifests() throws Exception {
    String version = text(xml(ROOT.resolve("pom.xml")), "/project/version");

    Properties app = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
      app.load(in);
    }
    String operatorRepo =
        app.getProperty("quarkus.container-image.registry")
            + "/"
            + app.getProperty("quarkus.container-image.group")
            + "/"
            + app.getProperty("quarkus.container-image.name");
    assertThat(app.getProperty("quarkus.container-image.tag"))
        .isEqualTo("${quarkus.application.version}");
    assertThat(app.getProperty("quarkus.jib.user")).isEqualTo("10001");

    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory())
            .readTree(ROOT.resolve("manifests/base/kustomization.yaml").toFile());
    JsonNode image = kustomization.path("images").get(0);
    assertThat(image.path("newName").asText()).isEqualTo(operatorRepo);
    assertThat(image.path("newTag").asText()).isEqualTo(version);

    Document cli = xml(ROOT.resolve("operator/cli/pom.xml"));
    String jib = "/project/build/plugins/plugin[artifactId='jib-maven-plugin']";
    assertThat(text(cli, jib + "/version")).isEqualTo("3.5.2");
    assertThat(text(cli, jib + "/configuration/container/mainClass"))
        .isEqualTo("io.liverec.cli.Main");
    assertThat(text(cli, jib + "/configuration/container/user")).startsWith("10001");
    String trainer =
        text(cli, jib + "/configuration/to/image").replace("${project.version}", version);
    assertThat(
            app.getProperty("liverec.operator.trainer-image")
                .replace("${quarkus.application.version}", version))
        .isEqualTo(trainer);
    assertThat(Files.readString(ROOT.resolve("manifests/base/deployment.yaml")))
        .contains("value: " + trainer);
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static String text(Document doc, String xpath) throws Exception {
    String v = javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
    assertThat(v).as(xpath).isNotEmpty();
    return v;
  }
}
