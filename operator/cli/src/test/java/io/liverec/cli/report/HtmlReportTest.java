package io.liverec.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report and the summary written from a small synthetic run. */
class HtmlReportTest {
  @TempDir Path dir;

  static DemoRun run(String phase) {
    List<DemoRun.Analysis> analyses =
        List.of(
            analysis(0, 10, 1, "Inconclusive", 0, 0),
            analysis(0, 10, 2, "Successful", 0.151, 0.149),
            analysis(1, 25, 3, "Successful", 0.152, 0.150),
            analysis(2, 50, 4, "Successful", 0.153, 0.149));
    return new DemoRun(
        "tiny <script>alert('x')</script> & world",
        List.of(
            new DemoRun.Stage("simulate", 2.5),
            new DemoRun.Stage("train ranker", 7.25),
            new DemoRun.Stage("canary", 1.0)),
        List.of(new DemoRun.Fact("Events", List.of("1 < 2 requests", "second line"))),
        List.of(
            new DemoRun.TaskAuc("ctr", 0.74, 0.73, 0.41, 0.79),
            new DemoRun.TaskAuc("cvr", 0.66, 0.65, 0.52, 0.78)),
        List.of(
            new DemoRun.RecallPoint(20, 0.30, 0.35),
            new DemoRun.RecallPoint(100, 0.60, 0.70),
            new DemoRun.RecallPoint(200, 0.80, 0.85)),
        new DemoRun.Canary(
            "demo-ranker",
            1,
            2,
            phase,
            "all steps passed",
            4.5,
            2700,
            false,
            analyses,
            List.of("Promoted: demo-ranker/2 serves 100%"),
            List.of(new DemoRun.Arm("demo-ranker/1", 2000, 16000, 0.15))),
        "liverec-demo-ranker v1 is now the champion");
  }

  private static DemoRun.Analysis analysis(
      int step, int weight, double minute, String result, double canary, double control) {
    double n = canary == 0 ? 0 : 500;
    return new DemoRun.Analysis(
        step, weight, minute, result, n, n, canary, control, canary - control, 0.4, 12.0);
  }

  @Test
  void theReportIsOneWellFormedPageWithEverySectionAndAPlotInEach() throws Exception {
    Path file = HtmlReport.write(run("Promoted"), dir.resolve(HtmlReport.FILE));
    String html = Files.readString(file);
    Document doc = parse(html);

    for (String id : List.of("stages", "ranker", "recall", "canary", "champion", "details")) {
      assertThat(section(doc, id)).as("section " + id).isNotNull();
    }
    for (String id : List.of("stages", "ranker", "recall")) {
      assertThat(section(doc, id).getElementsByTagName("svg").getLength()).as(id).isEqualTo(1);
    }
    // the canary: its weight and its per-arm rates over simulated time
    assertThat(section(doc, "canary").getElementsByTagName("svg").getLength()).isEqualTo(2);
    assertThat(section(doc, "canary").getTextContent())
        .contains("demo-ranker v2 Promoted after 4m")
        .contains("Promoted at 4m");
    // the weight line climbs 10 -> 25 -> 50 and ends at 100 % with the promotion (top of the axis)
    Element weight = (Element) section(doc, "canary").getElementsByTagName("polyline").item(0);
    String[] points = weight.getAttribute("points").split(" ");
    assertThat(points[points.length - 1]).endsWith(",30.0");
    assertThat(section(doc, "champion").getTextContent()).contains("v1 is now the champion");
    // nothing fetched, nothing run
    assertThat(html).doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("src=");
  }

  @Test
  void textIsEscapedNotInterpreted() throws Exception {
    String html = HtmlReport.render(run("RolledBack"));
    Document doc = parse(html);
    assertThat(html).doesNotContain("<script>alert");
    assertThat(doc.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("LiveRec demo: tiny <script>alert('x')</script> & world");
    assertThat(section(doc, "details").getTextContent()).contains("1 < 2 requests");
  }

  @Test
  void theStepTableHasOneRowPerStepCountingItsAnalyses() throws Exception {
    Element canary = section(parse(HtmlReport.render(run("Promoted"))), "canary");
    Element table = (Element) canary.getElementsByTagName("table").item(0);
    NodeList rows = table.getElementsByTagName("tr");
    assertThat(rows.getLength()).isEqualTo(1 + 3); // head + steps 0, 1, 2
    assertThat(rows.item(1).getTextContent()).contains("10%").contains("Successful");
    assertThat(((Element) rows.item(1)).getElementsByTagName("td").item(3).getTextContent())
        .isEqualTo("2");
  }

  @Test
  void theSummaryGivesEachStagesTimeAndTheTotal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryText.print(run("RolledBack"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .containsPattern("simulate\\s+2\\.5 s")
        .containsPattern("train ranker\\s+7\\.3 s")
        .containsPattern("total\\s+10\\.8 s")
        .containsPattern("ctr\\s+0\\.7400\\s+0\\.7300\\s+0\\.4100\\s+0\\.7900")
        .containsPattern("100\\s+0\\.6000\\s+0\\.7000")
        .contains("decision: demo-ranker v2 RolledBack after 4m")
        .contains("Champion   liverec-demo-ranker v1");
  }

  @Test
  void aStageClockTimesEachStageFromTheEndOfThePrevious() {
    long[] now = {0};
    StageClock clock = new StageClock(() -> now[0]);
    now[0] = 1_500_000_000L;
    clock.lap("a");
    now[0] = 4_000_000_000L;
    clock.lap("b");
    assertThat(clock.stages())
        .containsExactly(new DemoRun.Stage("a", 1.5), new DemoRun.Stage("b", 2.5));
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static Element section(Document doc, String id) {
    NodeList sections = doc.getElementsByTagName("section");
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < sections.getLength(); i++) {
      Element e = (Element) sections.item(i);
      if (id.equals(e.getAttribute("id"))) {
        found.add(e);
      }
    }
    return found.isEmpty() ? null : found.get(0);
  }
}
