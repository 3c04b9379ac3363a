package io.jcompose.runtime.api.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine API's HTTP/1.1 server (Netty, epoll): listens on Unix sockets (mode 0660) and, when
 * configured, loopback TCP; each request runs on its own virtual thread.
 */
public final class EngineApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineApiServer.class);

    /** Largest request body buffered in memory (archives and image loads stream later). */
    static final int MAX_BODY = 64 * 1024 * 1024;

    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();

    private EngineApiServer(EventLoopGroup group, ExecutorService executor) {
        this.group = group;
        this.executor = executor;
    }

    /**
     * Starts listening on every listener.
     *
     * @throws IOException when a socket cannot be bound (in use, no permission, no epoll); the
     *     message says which and why
     */
    public static EngineApiServer start(Router router, ServerHeaders headers, List<Listener> listeners) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-", 0).factory());
        EngineApiServer server = new EngineApiServer(group, executor);
        try {
            for (Listener l : listeners) {
                server.bind(l, router, headers);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(Listener listener, Router router, ServerHeaders headers) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(EngineHttpHandler.CODEC, new HttpServerCodec())
                                .addLast(EngineHttpHandler.AGGREGATOR, new HttpObjectAggregator(MAX_BODY))
                                .addLast("engine-api", new EngineHttpHandler(router, headers, executor));
                    }
                });
        switch (listener) {
            case Listener.UnixSocket u -> {
                Path path = u.path().toAbsolutePath();
                prepareSocketPath(path);
                channels.add(awaitBind(b.channel(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path.toString())), listener));
                socketFiles.add(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
                LOG.info("API listening on unix://{}", path);
            }
            case Listener.LoopbackTcp t -> {
                channels.add(awaitBind(b.channel(EpollServerSocketChannel.class).bind(t.address()), listener));
                LOG.info("API listening on tcp://{}", t.address());
            }
        }
    }

    private static Channel awaitBind(io.netty.channel.ChannelFuture f, Listener listener) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on " + listener + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** Creates the socket's directory and removes a stale socket file no one answers on. */
    private static void prepareSocketPath(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another daemon is already listening on " + path);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another daemon")) {
                throw e;
            }
            Files.delete(path); // stale: left by a daemon that did not shut down cleanly
        }
    }

    /** The addresses actually bound (a TCP listener on port 0 gets its real port here). */
    public List<java.net.SocketAddress> boundAddresses() {
        return channels.stream().map(Channel::localAddress).toList();
    }

    /** Stops listening, ends open connections and removes the socket files. */
    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        executor.shutdownNow();
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove socket {}: {}", p, e.toString());
            }
        }
    }
}
