package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.model.ContainerTop;
import io.jcompose.runtime.api.model.EventMessage;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outputs of top, images, events and cp's path rules, as compose 2.26.1 prints them on the reference dockerd. */
class ToolFormatsTest {
    @Test
    void topPadsEveryProcessCellButNotTheLastTitle() {
        String table = TopCommand.table(new ContainerTop(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"),
                List.of(List.of("root", "13644", "13621", "3", "16:35", "?", "00:00:00", "sleep 1001"))));
        // compose 2.26.1, verbatim
        assertThat(table).isEqualTo("UID    PID     PPID    C    STIME   TTY   TIME       CMD\n"
                + "root   13644   13621   3    16:35   ?     00:00:00   sleep 1001   \n");
    }

    @Test
    void imagesTableQuietAndJson() {
        List<ImagesCommand.Row> rows = List.of(
                new ImagesCommand.Row("sha256:ec4ad0bda027ee40bd678f33b9a5117987a76717cf108e53c99473dc55f24fa0", "clip-db-1", "busybox", "latest", 1986152),
                new ImagesCommand.Row("sha256:ec4ad0bda027ee40bd678f33b9a5117987a76717cf108e53c99473dc55f24fa0", "clip-web-1", "", "", 1986152));
        assertThat(ImagesCommand.render(rows, false, "table")).isEqualTo(
                "CONTAINER           REPOSITORY          TAG                 IMAGE ID            SIZE\n"
                        + "clip-db-1           busybox             latest              ec4ad0bda027        1.99MB\n"
                        + "clip-web-1          <none>              <none>              ec4ad0bda027        1.99MB\n");
        assertThat(ImagesCommand.render(rows, true, "table")).isEqualTo("ec4ad0bda027ee40bd678f33b9a5117987a76717cf108e53c99473dc55f24fa0\n");
        assertThat(ImagesCommand.render(rows.subList(0, 1), false, "json")).isEqualTo(
                "[{\"ID\":\"sha256:ec4ad0bda027ee40bd678f33b9a5117987a76717cf108e53c99473dc55f24fa0\",\"ContainerName\":\"clip-db-1\","
                        + "\"Repository\":\"busybox\",\"Tag\":\"latest\",\"Size\":1986152}]\n");
        assertThat(List.of(ImagesCommand.humanSize(0), ImagesCommand.humanSize(999), ImagesCommand.humanSize(120_500),
                ImagesCommand.humanSize(999_900), ImagesCommand.humanSize(77_800_000))).containsExactly("0B", "999B", "120kB", "1e+03kB", "77.8MB");
    }

    @Test
    void eventsAsTextAndJsonWithoutComposeLabelsOneOffsOrOtherServices() {
        Map<String, String> attrs = Map.of("com.docker.compose.service", "web", "com.docker.compose.project", "clip", "name", "clip-web-1",
                "image", "busybox", "exitCode", "137");
        EventMessage die = new EventMessage(null, null, null, "container", "die", new EventMessage.Actor("5893ec1a", attrs), "local",
                1_795_000_000L, 1_795_000_000_042_703_656L);
        assertThat(EventsCommand.format(die, List.of(), true, ZoneOffset.UTC)).isEqualTo(
                "{\"action\":\"die\",\"attributes\":{\"exitCode\":\"137\",\"image\":\"busybox\",\"name\":\"clip-web-1\"},\"id\":\"5893ec1a\","
                        + "\"service\":\"web\",\"time\":\"2026-11-18T11:06:40.042703656Z\",\"type\":\"container\"}");
        assertThat(EventsCommand.format(die, List.of(), false, ZoneOffset.UTC)).isEqualTo(
                "2026-11-18 11:06:40.042703 container die 5893ec1a (exitCode=137, image=busybox, name=clip-web-1)\n");
        assertThat(EventsCommand.format(die, List.of("db"), true, ZoneOffset.UTC)).isNull();
        EventMessage oneOff = new EventMessage(null, null, null, "container", "start",
                new EventMessage.Actor("x", Map.of("com.docker.compose.oneoff", "True")), "local", 1, 0);
        assertThat(EventsCommand.format(oneOff, List.of(), true, ZoneOffset.UTC)).isNull();
    }

    @Test
    void cpArgumentsAndMobysCopyRules() throws IOException {
        assertThat(CpCommand.Arg.parse("web:/etc")).isEqualTo(new CpCommand.Arg("web", "/etc"));
        assertThat(CpCommand.Arg.parse("/abs:x")).isEqualTo(new CpCommand.Arg("", "/abs:x"));
        assertThat(CpCommand.Arg.parse("./f:x")).isEqualTo(new CpCommand.Arg("", "./f:x"));
        assertThat(CpCommand.Arg.parse("plain")).isEqualTo(new CpCommand.Arg("", "plain"));
        assertThat(LocalCopy.split("/a/b/.")).containsExactly("/a/b", ".");
        assertThat(LocalCopy.split("/a/b/")).containsExactly("/a", "b");
        assertThat(LocalCopy.rebaseName("/x/link/", "/real")).containsExactly("/real/", "link");
        // cp dir newname: extracted into the parent, the top entry renamed
        assertThat(LocalCopy.prepare(new LocalCopy.Info("/src/tree", true, true, null), new LocalCopy.Info("/tmp/copied", false, false, null)))
                .isEqualTo(new LocalCopy.Prepared("/tmp", "tree", "copied"));
        assertThat(LocalCopy.prepare(new LocalCopy.Info("/src/f", true, false, null), new LocalCopy.Info("/tmp", true, true, null)))
                .isEqualTo(new LocalCopy.Prepared("/tmp", null, null));
        assertThatThrownBy(() -> LocalCopy.prepare(new LocalCopy.Info("/src/f", true, false, null), new LocalCopy.Info("/no/dir/", false, false, null)))
                .hasMessage("no such directory");
        assertThatThrownBy(() -> LocalCopy.prepare(new LocalCopy.Info("/src/d", true, true, null), new LocalCopy.Info("/etc/hosts", true, false, null)))
                .hasMessage("cannot copy directory");
    }
}
