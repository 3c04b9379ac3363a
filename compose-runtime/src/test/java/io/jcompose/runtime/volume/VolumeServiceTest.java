package io.jcompose.runtime.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeServiceTest {

    @TempDir
    Path root;

    final Set<String> inUse = ConcurrentHashMap.newKeySet();
    final List<EventMessage> events = new ArrayList<>();

    VolumeService service() {
        return new VolumeService(root, new StateStore(root.resolve("state")), name -> inUse.contains(name) ? List.of("c1") : List.of(),
                events::add);
    }

    @Test
    void createsALocalDirectoryAndIsIdempotentByName() throws Exception {
        VolumeService s = service();
        Volume v = s.create(new VolumeCreateRequest("data", null, null, Map.of("a", "b")));
        assertThat(v.mountpoint()).isEqualTo(root.resolve("volumes/data/_data").toString());
        assertThat(Path.of(v.mountpoint())).isDirectory();
        assertThat(v.driver()).isEqualTo("local");
        assertThat(v.createdAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Files.writeString(Path.of(v.mountpoint(), "keep"), "x");
        assertThat(s.create(new VolumeCreateRequest("data", "local", null, null)).labels()).containsEntry("a", "b");
        assertThat(Path.of(v.mountpoint(), "keep")).exists();
        assertThat(events).extracting(EventMessage::action).containsExactly("create");
    }

    @Test
    void anonymousVolumesGetA64HexNameAndTheAnonymousLabel() {
        Volume v = service().create(new VolumeCreateRequest("", null, null, null));
        assertThat(v.name()).matches("[0-9a-f]{64}");
        assertThat(v.labels()).containsKey(VolumeService.ANONYMOUS_LABEL);
    }

    @Test
    void rejectsBadNamesUnknownDriversAndOptions() {
        VolumeService s = service();
        assertThatThrownBy(() -> s.create(new VolumeCreateRequest("a/b", null, null, null)))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("includes invalid characters for a local volume name");
        assertThatThrownBy(() -> s.create(new VolumeCreateRequest("xy", "nfs-plugin", null, null)))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> s.create(new VolumeCreateRequest("xy", null, Map.of("bogus", "1"), null)))
                .hasMessageContaining("invalid option: \"bogus\"");
    }

    @Test
    void listFiltersByLabelNameAndDangling() {
        VolumeService s = service();
        s.create(new VolumeCreateRequest("proj_db", null, null, Map.of("com.docker.compose.project", "proj")));
        s.create(new VolumeCreateRequest("other", null, null, Map.of()));
        inUse.add("proj_db");
        assertThat(names(s.list(Filters.of("label", "com.docker.compose.project=proj")))).containsExactly("proj_db");
        assertThat(names(s.list(Filters.of("label", "com.docker.compose.project")))).containsExactly("proj_db");
        assertThat(names(s.list(Filters.of("name", "oth")))).containsExactly("other");
        assertThat(names(s.list(Filters.of("dangling", "true")))).containsExactly("other");
        assertThat(names(s.list(Filters.of("dangling", "0")))).containsExactly("proj_db");
        assertThat(names(s.list(Filters.NONE))).containsExactly("other", "proj_db");
        assertThatThrownBy(() -> s.list(Filters.of("status", "x"))).hasMessage("invalid filter 'status'");
    }

    @Test
    void removeRefusesVolumesInUseAnd404sUnknownOnesUnlessForced() {
        VolumeService s = service();
        s.create(new VolumeCreateRequest("data", null, null, null));
        inUse.add("data");
        assertThatThrownBy(() -> s.remove("data", false))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("remove data: volume is in use - [c1]");
        inUse.clear();
        s.remove("data", false);
        assertThat(root.resolve("volumes/data")).doesNotExist();
        assertThatThrownBy(() -> s.inspect("data")).hasMessage("get data: no such volume");
        assertThatThrownBy(() -> s.remove("data", false))
                .isInstanceOfSatisfying(EngineApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        s.remove("data", true);
    }

    @Test
    void pruneRemovesUnusedAnonymousVolumesUnlessAllIsAsked() throws Exception {
        VolumeService s = service();
        Volume anon = s.create(new VolumeCreateRequest(null, null, null, null));
        Volume busy = s.create(new VolumeCreateRequest(null, null, null, null));
        s.create(new VolumeCreateRequest("named", null, null, Map.of("keep", "yes")));
        s.create(new VolumeCreateRequest("named2", null, null, null));
        Files.writeString(Path.of(anon.mountpoint(), "f"), "12345");
        inUse.add(busy.name());
        var report = s.prune(Filters.NONE);
        assertThat(report.volumesDeleted()).containsExactly(anon.name());
        assertThat(report.spaceReclaimed()).isEqualTo(5);
        assertThat(s.prune(Filters.of("all", "true", "label!", "keep")).volumesDeleted()).containsExactly("named2");
        assertThat(names(s.list(Filters.NONE))).containsExactlyInAnyOrder(busy.name(), "named");
    }

    @Test
    void afterACrashStaleRecordsAreDroppedAndUnrecordedDirectoriesAdopted() throws Exception {
        VolumeService s = service();
        s.create(new VolumeCreateRequest("kept", null, null, Map.of("a", "b")));
        s.create(new VolumeCreateRequest("half-removed", null, null, null));
        deleteTree(root.resolve("volumes/half-removed")); // crash between deleting data and record
        Files.createDirectories(root.resolve("volumes/orphan/_data")); // crash before the record, or copied in
        VolumeService again = service();
        assertThat(names(again.list(Filters.NONE))).containsExactly("kept", "orphan");
        assertThat(again.inspect("kept").labels()).containsEntry("a", "b");
        assertThat(root.resolve("state/volumes/half-removed.json")).doesNotExist();
        assertThat(root.resolve("state/volumes/orphan.json")).exists();
    }

    private static List<String> names(List<Volume> vs) {
        return vs.stream().map(Volume::name).toList();
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
