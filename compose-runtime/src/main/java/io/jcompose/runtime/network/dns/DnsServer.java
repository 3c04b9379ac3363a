package io.jcompose.runtime.network.dns;

import io.jcompose.runtime.network.netns.NetNamespace;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded DNS server: for each container, a UDP and a TCP listener on
 * {@code 127.0.0.11:53} inside the container's own network namespace, the address its
 * {@code resolv.conf} names. The sockets are created on a thread that has entered the namespace
 * (a socket belongs to the namespace it was created in) and then served by one shared Netty
 * event loop in the host. Knowing which listener a query came through tells us which container
 * asked, hence which networks' names it may see and where to forward.
 */
public final class DnsServer implements AutoCloseable {
    /** Docker's embedded DNS address. */
    public static final String ADDRESS = "127.0.0.11";

    private final DnsResolver resolver;
    /** Event loop threads enter the host namespace first: they may be started from a netns thread. */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            NetNamespace.hostThreadFactory("jc-dns"), EpollIoHandler.newFactory());
    private final Map<String, List<Channel>> listeners = new ConcurrentHashMap<>();
    private final int port;

    public DnsServer(DnsResolver resolver) {
        this(resolver, 53);
    }

    /** @param port 53 in production; tests may use another */
    public DnsServer(DnsResolver resolver, int port) {
        // Netty derives a machine id from the interfaces on first use; do it here, in the host
        // namespace, not on a netns thread where the host's interfaces cannot be queried
        io.netty.channel.DefaultChannelId.newInstance();
        this.resolver = resolver;
        this.port = port;
    }

    /** Starts the container's listeners inside {@code netns} (idempotent). */
    public void listen(String containerId, Path netns) {
        if (listeners.containsKey(containerId)) return;
        NetNamespace.call(netns, () -> {
            listenHere(containerId);
            return null;
        });
    }

    /** Starts the container's listeners in the calling thread's namespace (idempotent). */
    public void listenHere(String containerId) throws InterruptedException {
        if (listeners.containsKey(containerId)) return;
        InetSocketAddress addr = new InetSocketAddress(ADDRESS, port);
        List<Channel> channels = bindBoth(containerId, addr);
        listeners.put(containerId, channels);
    }

    private List<Channel> bindBoth(String containerId, InetSocketAddress addr) throws InterruptedException {
        Channel udp = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new UdpHandler(containerId)).bind(addr).sync().channel();
        try {
            Channel tcp = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2), new TcpHandler(containerId));
                        }
                    }).bind(addr).sync().channel();
            return List.of(udp, tcp);
        } catch (RuntimeException | InterruptedException e) {
            udp.close().syncUninterruptibly();
            throw e;
        }
    }

    /** Stops the container's listeners. */
    public void stop(String containerId) {
        List<Channel> chs = listeners.remove(containerId);
        if (chs != null) chs.forEach(c -> c.close().syncUninterruptibly());
    }

    public boolean isListening(String containerId) {
        return listeners.containsKey(containerId);
    }

    @Override
    public void close() {
        listeners.keySet().forEach(this::stop);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        resolver.close();
    }

    /** UDP: one datagram per query; answers go back to the sender. */
    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final String containerId;

        UdpHandler(String containerId) {
            this.containerId = containerId;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] q = ByteBufUtil.getBytes(packet.content());
            InetSocketAddress sender = packet.sender();
            resolver.answer(containerId, q, true).thenAccept(r -> {
                if (r != null) ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(r), sender));
            });
        }
    }

    /** TCP: length-prefixed messages (framing done by the pipeline); the connection stays open. */
    private final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final String containerId;

        private TcpHandler(String containerId) {
            super(ByteBuf.class);
            this.containerId = containerId;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            resolver.answer(containerId, ByteBufUtil.getBytes(msg), false).thenAccept(r -> {
                if (r != null) ctx.writeAndFlush(Unpooled.wrappedBuffer(r));
                else ctx.close();
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
