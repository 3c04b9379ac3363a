package io.jcompose.planner.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.planner.engine.ContainerSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedStateTest {
  private static ContainerSummary c(String name, String service, String number, String oneOff, String state) {
    var labels = new java.util.HashMap<String, String>();
    labels.put("com.docker.compose.project", "p");
    labels.put("com.docker.compose.service", service);
    if (number != null) {
      labels.put("com.docker.compose.container-number", number);
    }
    labels.put("com.docker.compose.oneoff", oneOff);
    labels.put("com.docker.compose.config-hash", "h-" + name);
    return new ContainerSummary("id-" + name + "-0123456789", name, "img", state, state, labels, 1);
  }

  @Test
  void containersAreGroupedByServiceAndNumberFromTheirLabels() {
    var st = new ObservedState("p", List.of(
        c("p-web-2", "web", "2", "False", "running"),
        c("p-web-1", "web", "1", "False", "exited"),
        c("p-db-1", "db", "1", "False", "running"),
        c("p-web-run-0123456789ab", "web", null, "True", "running"),
        c("p-gone-1", "gone", "1", "False", "running"),
        c("p-odd-x", "odd", "x", "False", "created")).stream().map(ObservedContainer::of).toList(), List.of(), List.of());
    assertThat(st.byService().keySet()).containsExactly("db", "gone", "odd", "web");
    assertThat(st.containersOf("web")).extracting(ObservedContainer::name).containsExactly("p-web-1", "p-web-2");
    assertThat(st.containersOf("web").getFirst().running()).isFalse();
    assertThat(st.containersOf("web").get(1).configHash()).isEqualTo("h-p-web-2");
    assertThat(st.containersOf("odd").getFirst().number()).isZero();
    assertThat(st.oneOffs()).extracting(ObservedContainer::name).containsExactly("p-web-run-0123456789ab");
    assertThat(st.orphans(List.of("web", "db"))).extracting(ObservedContainer::name).containsExactly("p-odd-x", "p-gone-1");
    assertThat(st.containersOf("db").getFirst().shortId()).isEqualTo("id-p-db-1-01");
    assertThat(st.containersOf("nothing")).isEmpty();
  }

  @Test
  void observeAsksTheEngineByProjectLabel() {
    var engine = new io.jcompose.planner.testing.FakeEngine();
    assertThat(ObservedState.observe(engine, "p").containers()).isEmpty();
    engine.addNetwork("p_default");
    assertThat(ObservedState.observe(engine, "p").networks()).as("an unlabelled network is not the project's").isEmpty();
  }
}
