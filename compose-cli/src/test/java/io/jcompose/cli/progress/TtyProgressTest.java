package io.jcompose.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The terminal display: frames drawn at chosen instants, compared character for character. */
class TtyProgressTest {
    static final String HIDE = "\u001b[?25l";
    static final String SHOW = "\u001b[?25h";
    static final long MS = 1_000_000;

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final AtomicLong now = new AtomicLong();

    TtyProgress tty(boolean colour, boolean detached, int width, int height) {
        return new TtyProgress(out, colour, false, detached, now::get, () -> new int[] {width, height}, false);
    }

    /** The output since the last call. */
    String take() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    @Test
    void framesAlignStatesAndTimersAndRedrawInPlace() {
        TtyProgress p = tty(false, true, 60, 24);
        p.start("up");
        p.on(ProgressEvent.creating("Network demo_default"));
        now.set(300 * MS);
        p.on(ProgressEvent.created("Network demo_default"), ProgressEvent.creating("Container demo-db-1"));
        now.set(500 * MS);
        p.draw();
        assertThat(take()).isEqualTo(HIDE + "\r"
                + "[+] up 1/2\n"
                + " ✔ Network demo_default Created" + " ".repeat(25) + "0.3s\n"
                + " ⠙ Container demo-db-1  Creating" + " ".repeat(24) + "0.2s\n"
                + SHOW);

        now.set(1_200 * MS);
        p.on(ProgressEvent.created("Container demo-db-1"), ProgressEvent.started("Container demo-db-1"));
        p.on(ProgressEvent.waiting("Container demo-db-1"));
        now.set(12_400 * MS);
        p.draw();
        assertThat(take()).isEqualTo(HIDE + "\u001b[3A\r"
                + "[+] up 1/2\n"
                + " ✔ Network demo_default Created" + " ".repeat(24) + " 0.3s\n"
                + " ⠹ Container demo-db-1  Waiting" + " ".repeat(24) + "12.1s\n"
                + SHOW);

        now.set(14_000 * MS);
        p.on(ProgressEvent.healthy("Container demo-db-1"));
        p.done("up", true);
        assertThat(take()).isEqualTo(HIDE + "\u001b[3A\r"
                + "[+] up 2/2\n"
                + " ✔ Network demo_default Created" + " ".repeat(24) + " 0.3s\n"
                + " ✔ Container demo-db-1  Healthy" + " ".repeat(24) + "13.7s\n"
                + SHOW);
    }

    @Test
    void coloursAreComposes() {
        TtyProgress p = tty(true, true, 60, 24);
        p.start("down");
        p.on(ProgressEvent.removing("Container demo-web-1"), ProgressEvent.error("Container demo-db-1", "busy"),
                ProgressEvent.skipped("Volume demo_x", "external"));
        p.draw();
        String timer = "\u001b[34m0.0s\u001b[0m";
        assertThat(take()).isEqualTo(HIDE + "\r"
                + "[+] down 2/3\n"
                + " \u001b[33m⠋\u001b[0m Container demo-web-1 Removing" + " ".repeat(24) + timer + "\n"
                + " \u001b[31;1m✘\u001b[0m Container demo-db-1  \u001b[31;1mError\u001b[0m busy" + " ".repeat(22) + timer + "\n"
                + " \u001b[33;1m!\u001b[0m Volume demo_x        \u001b[33;1mSkipped: external\u001b[0m"
                + " ".repeat(15) + timer + "\n"
                + SHOW);
    }

    @Test
    void startEventsAreHiddenWhenLogsFollowUnlessTheOperationIsStart() {
        TtyProgress attached = tty(false, false, 40, 24);
        attached.start("up");
        attached.on(ProgressEvent.created("Container a-1"), ProgressEvent.starting("Container a-1"),
                ProgressEvent.started("Container a-1"));
        attached.done("up", true);
        assertThat(take()).contains(" ✔ Container a-1 Created ").doesNotContain("Start");

        TtyProgress start = tty(false, false, 40, 24);
        start.start("start");
        start.on(ProgressEvent.started("Container a-1"));
        start.done("start", true);
        assertThat(take()).contains(" ✔ Container a-1 Started ");
    }

    @Test
    void longLinesLoseDetailsFirstThenIdCharacters() {
        TtyProgress p = tty(false, true, 40, 24);
        p.start("up");
        p.on(ProgressEvent.error("Container a-very-long-project-name-web-1", "driver failed programming external connectivity"));
        p.draw();
        List<String> lines = List.of(take().split("\n"));
        assertThat(lines.get(1)).isEqualTo(" ✘ Container a-very-long-p... Error 0.0s");
        assertThat(lines.get(1).codePointCount(0, lines.get(1).length())).isEqualTo(40);
    }

    @Test
    void moreObjectsThanRowsEndWithACount() {
        TtyProgress p = tty(false, true, 30, 5);
        p.start("up");
        IntStream.rangeClosed(1, 6).forEach(i -> p.on(ProgressEvent.created("Container s-" + i)));
        p.draw();
        assertThat(take()).isEqualTo(HIDE + "\r"
                + "[+] up 6/6\n"
                + " ✔ Container s-1 Created  0.0s\n"
                + " ✔ Container s-2 Created  0.0s\n"
                + " ... 4 more" + " ".repeat(19) + "\n"
                + SHOW);
    }

    @Test
    void aShorterFrameBlanksTheRestOfTheLastOne() {
        int[] size = {30, 24};
        TtyProgress p = new TtyProgress(out, false, false, true, now::get, () -> size, false);
        p.start("up");
        IntStream.rangeClosed(1, 4).forEach(i -> p.on(ProgressEvent.created("Container s-" + i)));
        p.draw();
        take();
        size[1] = 4; // the terminal shrank: 2 rows for objects now
        p.draw();
        String blank = " ".repeat(30) + "\n";
        assertThat(take()).isEqualTo(HIDE + "\u001b[5A\r"
                + "[+] up 4/4\n"
                + " ✔ Container s-1 Created  0.0s\n"
                + " ... 3 more" + " ".repeat(19) + "\n"
                + blank + blank
                + SHOW);
    }

    @Test
    void pullLayersBecomeAProgressBarOnTheirImage() {
        TtyProgress p = tty(false, true, 70, 24);
        p.start("pull");
        p.on(ProgressEvent.of("Image redis:7.0", EventStatus.WORKING, "Pulling"));
        p.on(new ProgressEvent("aaa", "Image redis:7.0", "Downloading", "", EventStatus.WORKING, 1_500_000, 3_000_000, 50),
                new ProgressEvent("bbb", "Image redis:7.0", "Download complete", "", EventStatus.DONE, 2_000_000, 2_000_000, 100));
        p.draw();
        assertThat(take()).isEqualTo(HIDE + "\r"
                + "[+] pull 1/3\n"
                + " ⠋ Image redis:7.0 [⣤⣿]   3.5MB / 5MB     Pulling" + " ".repeat(17) + "0.0s\n"
                + SHOW);
    }

    @Test
    void projectMessagesPrintAsTheirOwnLine() {
        TtyProgress p = tty(false, true, 40, 24);
        p.on(new ProgressEvent(ProgressEvent.PROJECT_ID, null, "Warning", "orphan containers found", EventStatus.WARNING, 0, 0, 0));
        p.on(ProgressEvent.removed("Container x-1"));
        assertThat(take()).isEqualTo("orphan containers found\nContainer x-1 Removed \n");
    }

    @Test
    void eventsFromParallelWorkersAllArrive() {
        TtyProgress p = tty(false, true, 60, 100);
        p.start("up");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, 50).forEach(i -> pool.submit(() -> {
                p.on(ProgressEvent.creating("Container fan-svc" + i + "-1"));
                p.draw();
                p.on(ProgressEvent.started("Container fan-svc" + i + "-1"));
            }));
        }
        take();
        p.done("up", true);
        String last = take();
        assertThat(last).contains("[+] up 50/50\n");
        assertThat(last.lines().filter(l -> l.startsWith(" ✔ Container fan-svc")).count()).isEqualTo(50);
    }

    @Test
    void humanSizesAreDockers() {
        assertThat(TtyProgress.humanSize(0)).isEqualTo("0B");
        assertThat(TtyProgress.humanSize(999)).isEqualTo("999B");
        assertThat(TtyProgress.humanSize(12_345_678)).isEqualTo("12.35MB");
        assertThat(TtyProgress.humanSize(1_000_000_000)).isEqualTo("1GB");
    }
}
