package io.jcompose.runtime.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.Sessions;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.NetworkResource;
import io.jcompose.runtime.api.model.SessionReapReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.server.ContainerBackend;
import io.jcompose.runtime.api.server.NetworkBackend;
import io.jcompose.runtime.api.server.VolumeBackend;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order and error handling of a reap, against recording fakes of the engine's ports (the
 * real engine: {@code SessionReaperRootTest}).
 */
class SessionObjectsTest {

    final List<String> calls = new ArrayList<>();
    final List<Filters> filtersSeen = new ArrayList<>();

    record Obj(String id, String name, Map<String, String> labels) {}

    final List<Obj> containers = new ArrayList<>();
    final List<Obj> networks = new ArrayList<>();
    final List<Obj> volumes = new ArrayList<>();
    /** Removals that fail: id → status. */
    final Map<String, Integer> failing = new java.util.HashMap<>();

    static Map<String, String> of(String session) {
        return session == null ? Map.of() : Map.of(Sessions.LABEL, session, "other", "x");
    }

    List<Obj> matching(List<Obj> all, Filters f) {
        filtersSeen.add(f);
        return all.stream().filter(o -> f.matchLabels("label", o.labels())).toList();
    }

    void removal(String what) {
        calls.add(what);
        String id = what.substring(what.indexOf(' ') + 1);
        Integer status = failing.get(id);
        if (status != null) {
            throw new EngineApiException(status, "cannot: " + id);
        }
    }

    @SuppressWarnings("unchecked")
    <T> T fake(Class<T> port, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {port}, (p, m, args) -> answer.apply(m.getName(), args));
    }

    SessionObjects objects() {
        ContainerBackend c = fake(ContainerBackend.class, (m, a) -> switch (m) {
            case "list" -> matching(containers, ((ContainerBackend.ListOptions) a[0]).filters()).stream()
                    .map(o -> Json.mapper().convertValue(Map.of("Id", o.id(), "Names", List.of("/" + o.name()), "Labels", o.labels()), ContainerSummary.class))
                    .toList();
            case "remove" -> {
                assertThat(a[1]).as("force").isEqualTo(true);
                assertThat(a[2]).as("with anonymous volumes").isEqualTo(true);
                removal("container " + a[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(m);
        });
        NetworkBackend n = fake(NetworkBackend.class, (m, a) -> switch (m) {
            case "list" -> matching(networks, (Filters) a[0]).stream()
                    .map(o -> Json.mapper().convertValue(Map.of("Id", o.id(), "Name", o.name(), "Labels", o.labels()), NetworkResource.class)).toList();
            case "remove" -> {
                removal("network " + a[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(m);
        });
        VolumeBackend v = fake(VolumeBackend.class, (m, a) -> switch (m) {
            case "list" -> matching(volumes, (Filters) a[0]).stream()
                    .map(o -> Json.mapper().convertValue(Map.of("Name", o.name(), "Labels", o.labels()), Volume.class)).toList();
            case "remove" -> {
                removal("volume " + a[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(m);
        });
        return new SessionObjects(c, n, v);
    }

    @Test
    void containersThenNetworksThenVolumesOnlyOfThatSession() {
        containers.addAll(List.of(new Obj("c1", "web", of("s1")), new Obj("c2", "db", of("s2")), new Obj("c3", "plain", of(null))));
        networks.addAll(List.of(new Obj("n1", "net1", of("s1")), new Obj("n2", "net2", of("s2"))));
        volumes.addAll(List.of(new Obj("v1", "vol1", of("s1")), new Obj("v3", "vol3", of(null))));

        SessionReapReport r = objects().reap("s1");

        assertThat(calls).containsExactly("container c1", "network n1", "volume vol1");
        assertThat(r.reaped()).isTrue();
        assertThat(r.containers()).containsExactly("c1");
        assertThat(r.networks()).containsExactly("n1");
        assertThat(r.volumes()).containsExactly("vol1");
        assertThat(r.errors()).isEmpty();
        assertThat(filtersSeen).allSatisfy(f -> assertThat(f.get("label")).containsExactly(Sessions.LABEL + "=s1"));
    }

    @Test
    void oneStuckObjectIsReportedAndTheRestStillGoesWhileVanishedOnesAreNoError() {
        containers.addAll(List.of(new Obj("c1", "gone-meanwhile", of("s")), new Obj("c2", "stuck", of("s")), new Obj("c3", "ok", of("s"))));
        networks.add(new Obj("n1", "net", of("s")));
        volumes.add(new Obj("v1", "vol", of("s")));
        failing.put("c1", 404);
        failing.put("c2", 500);

        SessionReapReport r = objects().reap("s");

        assertThat(calls).containsExactly("container c1", "container c2", "container c3", "network n1", "volume vol");
        assertThat(r.containers()).containsExactly("c3");
        assertThat(r.errors()).containsExactly("container stuck: cannot: c2");
        assertThat(r.networks()).containsExactly("n1");
    }

    @Test
    void labelledSessionsAreCollectedFromAllThreeKinds() {
        containers.add(new Obj("c1", "a", of("from-container")));
        networks.add(new Obj("n1", "b", of("from-network")));
        volumes.addAll(List.of(new Obj("v1", "c", of("from-volume")), new Obj("v2", "d", of(null))));
        assertThat(objects().labelledSessions()).containsExactly("from-container", "from-network", "from-volume");
    }
}
