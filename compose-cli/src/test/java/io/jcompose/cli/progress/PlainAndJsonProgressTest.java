package io.jcompose.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The non-terminal displays on recorded event sequences, character for character. */
class PlainAndJsonProgressTest {
    /** What `up -d` of a two-service project reports, in order. */
    static final List<ProgressEvent> UP = List.of(
            ProgressEvent.creating("Network demo_default"),
            ProgressEvent.created("Network demo_default"),
            ProgressEvent.creating("Container demo-db-1"),
            ProgressEvent.created("Container demo-db-1"),
            ProgressEvent.starting("Container demo-db-1"),
            ProgressEvent.started("Container demo-db-1"),
            ProgressEvent.waiting("Container demo-db-1"),
            ProgressEvent.healthy("Container demo-db-1"),
            ProgressEvent.error("Container demo-web-1", "port 8080 is already allocated"));

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static void play(Progress p, List<ProgressEvent> events) {
        p.start("up");
        events.forEach(p::on);
        p.done("up", false);
    }

    @Test
    void plainPrintsComposesLines() {
        play(new PlainProgress(out, false), UP);
        assertThat(text()).isEqualTo("""
                 Network demo_default Creating\s
                 Network demo_default Created\s
                 Container demo-db-1 Creating\s
                 Container demo-db-1 Created\s
                 Container demo-db-1 Starting\s
                 Container demo-db-1 Started\s
                 Container demo-db-1 Waiting\s
                 Container demo-db-1 Healthy\s
                 Container demo-web-1 Error port 8080 is already allocated
                """);
    }

    @Test
    void plainMarksDryRuns() {
        play(new PlainProgress(out, true), List.of(ProgressEvent.removed("Volume demo_data")));
        assertThat(text()).isEqualTo(" DRY-RUN MODE -  Volume demo_data Removed \n");
    }

    @Test
    void jsonPrintsOneObjectPerEventWithComposesFields() {
        play(new JsonProgress(out, false), UP.subList(7, 9));
        new JsonProgress(out, true).on(new ProgressEvent("abc123", "Image redis:7.0", "Downloading", "", EventStatus.WORKING,
                512, 2048, 25));
        assertThat(text()).isEqualTo("""
                {"id":"Container demo-db-1","status":"Done","text":"Healthy"}
                {"id":"Container demo-web-1","status":"Error","text":"Error","details":"port 8080 is already allocated"}
                {"dry-run":true,"id":"abc123","parent_id":"Image redis:7.0","status":"Working","text":"Downloading","current":512,"total":2048,"percent":25}
                """);
    }

    @Test
    void quietPrintsNothing() {
        play(Progress.open(ProgressMode.QUIET, out, true, false, false, null), UP);
        assertThat(text()).isEmpty();
    }

    @Test
    void linesOfParallelWorkersStayWhole() throws Exception {
        Progress plain = new PlainProgress(out, false);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 400).forEach(i -> pool.submit(() -> plain.on(
                    ProgressEvent.creating("Container demo-svc-" + i), ProgressEvent.created("Container demo-svc-" + i))));
        }
        List<String> lines = text().lines().toList();
        assertThat(lines).hasSize(800).allMatch(l -> l.matches(" Container demo-svc-\\d+ Creat(ing|ed) "));
        // each worker's pair stays together: the call prints its events in one write
        for (int i = 0; i < lines.size(); i += 2) {
            assertThat(lines.get(i + 1)).isEqualTo(lines.get(i).replace("Creating", "Created"));
        }
    }
}
