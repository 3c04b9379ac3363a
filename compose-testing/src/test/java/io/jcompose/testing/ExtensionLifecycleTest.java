package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.jcompose.runtime.api.Filters;
import io.jcompose.testing.junit.Compose;
import io.jcompose.testing.junit.ComposeService;
import io.jcompose.testing.support.PrivateEngine;
import io.jcompose.testing.support.RealEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension's lifecycles on a real engine: {@code @Compose} on the class (one stack for all
 * methods, down after the class) and on an instance field (a new stack per method, down after
 * each), with the handle, the stack and a service endpoint ({@link InetSocketAddress}) injected.
 */
@RealEngine
class ExtensionLifecycleTest {
    /** What the inner classes saw, in order: "{class} {method} {project}". */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Compose(value = "src/test/compose/httpd", waitFor = @Compose.WaitFor(service = "web", httpPath = "/ok.html", port = 8000))
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static final class PerClass {
        @Test
        @Order(1)
        void first(ComposeStack stack, @ComposeService("web") ServiceHandle web) {
            SEEN.add("class first " + stack.projectName());
            assertThat(web.exec("cat", "/www/ok.html").stdout()).isEqualTo("ok\n");
        }

        @Test
        @Order(2)
        void second(ComposeStack stack, @ComposeService(value = "web", port = 8000) InetSocketAddress web) throws Exception {
            SEEN.add("class second " + stack.projectName());
            assertThat(httpGet(web, "/ok.html")).startsWith("HTTP/1.").contains("\r\n\r\nok\n");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static final class PerMethod {
        @Compose(value = "src/test/compose/httpd", waitFor = @Compose.WaitFor(service = "web", port = 8000))
        ComposeStack stack;

        @Test
        @Order(1)
        void first(@ComposeService(value = "web", port = 8000) InetSocketAddress web) throws Exception {
            SEEN.add("method first " + stack.projectName());
            assertThat(httpGet(web, "/ok.html")).contains("\r\n\r\nok\n");
        }

        @Test
        @Order(2)
        void second(ComposeStack injected) {
            assertThat(injected).as("the parameter is the field's stack").isSameAs(stack);
            String firstMethodsProject = SEEN.getLast().split(" ")[2];
            SEEN.add("method second " + stack.projectName());
            assertThat(projectsUp()).as("this method's stack is up, the first method's is gone")
                    .contains(stack.projectName()).doesNotContain(firstMethodsProject);
        }
    }

    @Test
    void perClassSharesOneStackAndPerMethodMakesOneForEachMethod() {
        SEEN.clear();
        for (Class<?> c : List.of(PerClass.class, PerMethod.class)) {
            EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute().testEvents().debug()
                    .assertStatistics(stats -> stats.succeeded(2).failed(0).aborted(0));
        }
        assertThat(SEEN).hasSize(4);
        String classProject = SEEN.get(0).split(" ")[2];
        assertThat(SEEN.get(1)).isEqualTo("class second " + classProject);
        assertThat(classProject).matches("httpd-[0-9a-f]{6}");
        String m1 = SEEN.get(2).split(" ")[2];
        String m2 = SEEN.get(3).split(" ")[2];
        assertThat(m1).matches("httpd-[0-9a-f]{6}").isNotEqualTo(m2).isNotEqualTo(classProject);
        assertThat(projectsUp()).as("every stack is down after its class or method").doesNotContain(classProject, m1, m2);
    }

    /** The projects of the session that have containers on the engine. */
    private static Set<String> projectsUp() {
        Filters session = new Filters(Map.of("label", Set.of(ComposeSession.LABEL + "=" + ComposeSession.current().id())));
        return PrivateEngine.get().client().listContainers(true, session).stream()
                .map(c -> c.labels().get("com.docker.compose.project")).collect(java.util.stream.Collectors.toSet());
    }

    /** A plain HTTP/1.0 GET over a socket: the endpoint is an address, as a client library would get it. */
    static String httpGet(InetSocketAddress address, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
