package io.jcompose.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.runtime.api.model.EventMessage;
import io.jcompose.runtime.api.model.SystemVersion;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesDockersUpperCamelCaseAndItsExceptions() {
        String v = Json.mapper().writeValueAsString(new Volume("v", "local", "/m", "2024-01-01T00:00:00Z", Map.of("a", "b"), "local", null));
        assertThat(v).contains("\"Name\":\"v\"", "\"Mountpoint\":\"/m\"", "\"CreatedAt\"", "\"Labels\":{\"a\":\"b\"}", "\"Options\":null");
        String sv = Json.mapper().writeValueAsString(new SystemVersion(null, List.of(), "1", "1.44", "1.24", "", "", "linux", "amd64", "", false, ""));
        assertThat(sv).contains("\"MinAPIVersion\":\"1.24\"", "\"ApiVersion\":\"1.44\"", "\"Os\":\"linux\"");
    }

    @Test
    void eventsKeepTheirLowerCaseLegacyFieldsOnlyWhereSet() {
        String container = Json.mapper().writeValueAsString(EventSink.event("container", "start", "abc", Map.of("image", "busybox")));
        assertThat(container).contains("\"status\":\"start\"", "\"id\":\"abc\"", "\"from\":\"busybox\"", "\"Type\":\"container\"",
                "\"Actor\":{\"ID\":\"abc\"", "\"scope\":\"local\"", "\"timeNano\":");
        String volume = Json.mapper().writeValueAsString(EventSink.event("volume", "create", "v", Map.of()));
        assertThat(volume).doesNotContain("\"status\"", "\"from\"");
        EventMessage back = Json.mapper().readValue(container, EventMessage.class);
        assertThat(back.actor().attributes()).containsEntry("image", "busybox");
    }

    @Test
    void readsCaseInsensitivelyAndIgnoresUnknownFieldsLikeGo() {
        VolumeCreateRequest r = Json.mapper().readValue("{\"name\":\"x\",\"DRIVER\":\"local\",\"Whatever\":1,\"labels\":{\"k\":\"v\"}}",
                VolumeCreateRequest.class);
        assertThat(r).isEqualTo(new VolumeCreateRequest("x", "local", null, Map.of("k", "v")));
    }
}
