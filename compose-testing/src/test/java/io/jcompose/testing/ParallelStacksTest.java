package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.jcompose.testing.junit.Compose;
import io.jcompose.testing.junit.ComposeService;
import io.jcompose.testing.support.RealEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Two test classes with the same compose file, run by JUnit's parallel execution: both stacks
 * are up at the same time (each class waits for the other at a barrier), under different
 * project names, and each class sees only its own redis.
 */
@RealEngine
class ParallelStacksTest {
    static final Map<String, String> PROJECTS = new ConcurrentHashMap<>();
    static final CyclicBarrier BOTH_UP = new CyclicBarrier(2);
    static final CyclicBarrier BOTH_WROTE = new CyclicBarrier(2);

    /** What each class does: write its name into its redis, wait for the other, read its own value back. */
    static void ownRedis(String me, ComposeStack stack, ServiceHandle cache) throws Exception {
        PROJECTS.put(me, stack.projectName());
        BOTH_UP.await(180, TimeUnit.SECONDS);
        assertThat(cache.exec("redis-cli", "set", "owner", me).stdout().trim()).isEqualTo("OK");
        BOTH_WROTE.await(60, TimeUnit.SECONDS);
        assertThat(cache.exec("redis-cli", "get", "owner").stdout().trim()).isEqualTo(me);
    }

    @Compose("src/test/compose/redis")
    static final class First {
        @Test
        void usesItsOwnStack(ComposeStack stack, @ComposeService("cache") ServiceHandle cache) throws Exception {
            ownRedis("first", stack, cache);
        }
    }

    @Compose("src/test/compose/redis")
    static final class Second {
        @Test
        void usesItsOwnStack(ComposeStack stack, @ComposeService("cache") ServiceHandle cache) throws Exception {
            ownRedis("second", stack, cache);
        }
    }

    @Test
    void twoClassesWithTheSameFileRunInParallelWithoutCollision() {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(First.class), selectClass(Second.class))
                .execute().testEvents().debug().assertStatistics(stats -> stats.succeeded(2).failed(0).aborted(0));
        assertThat(PROJECTS).containsOnlyKeys("first", "second");
        assertThat(PROJECTS.get("first")).matches("redis-[0-9a-f]{6}").isNotEqualTo(PROJECTS.get("second"));
    }
}
