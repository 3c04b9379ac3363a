package io.jcompose.runtime.network.ports;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The userland proxy (Docker's docker-proxy): listens on the published host address and relays
 * to the container. The kernel's DNAT handles traffic from outside and from the host's other
 * addresses; loopback traffic ({@code 127.0.0.1:port}) cannot be DNAT'ed to another interface
 * without {@code route_localnet}, so it lands on this socket. Holding the socket is also what
 * makes a second publisher of the same port fail, like Docker.
 */
public final class UserlandProxy implements AutoCloseable {
    private final Channel listener;

    private UserlandProxy(Channel listener) {
        this.listener = listener;
    }

    /** Starts relaying {@code binding}; a taken port fails with Docker's message. */
    public static UserlandProxy start(EventLoopGroup group, PortBinding binding) {
        return start(group, binding, false);
    }

    /**
     * Starts relaying {@code binding}, with {@code dualStack} on {@code [::]} (IPv4 clients
     * arrive mapped) instead of its IPv4 address; a taken port fails with Docker's message.
     */
    public static UserlandProxy start(EventLoopGroup group, PortBinding binding, boolean dualStack) {
        InetSocketAddress listen = new InetSocketAddress(dualStack ? "::" : binding.hostIp(), binding.hostPort());
        InetSocketAddress target = new InetSocketAddress(binding.containerIp(), binding.containerPort());
        try {
            Channel ch = binding.protocol().equals("tcp") ? tcp(group, listen, target) : udp(group, listen, target);
            return new UserlandProxy(ch);
        } catch (Exception e) {
            String why = e instanceof BindException || String.valueOf(e.getMessage()).contains("in use")
                    ? "bind: address already in use" : String.valueOf(e.getMessage());
            throw new IllegalStateException("driver failed programming external connectivity: Error starting userland proxy: listen "
                    + binding.protocol() + "4 " + binding.hostAddress() + ": " + why, e);
        }
    }

    private static Channel tcp(EventLoopGroup group, InetSocketAddress listen, InetSocketAddress target)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        inbound.pipeline().addLast(new TcpFrontend(target));
                    }
                }).bind(listen).sync().channel();
    }

    /** Connects to the container when a client arrives, then pipes bytes both ways. */
    private static final class TcpFrontend extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress target;
        private Channel outbound;

        TcpFrontend(InetSocketAddress target) {
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel in = ctx.channel();
            outbound = new Bootstrap().group(in.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Pipe(in)).connect(target).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            in.read();
                            f.channel().read();
                        } else {
                            in.close();
                        }
                    }).channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(ctx, outbound, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (outbound != null) closeOnFlush(outbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** Writes everything read on one channel to the other. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Pipe(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(ctx, other, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(other);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** Writes {@code msg} to {@code to}, then reads more from {@code ctx} (back-pressure by hand). */
    private static void relay(ChannelHandlerContext ctx, Channel to, Object msg) {
        to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) ctx.channel().read();
            else f.channel().close();
        });
    }

    private static void closeOnFlush(Channel ch) {
        if (ch.isActive()) ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** UDP: one connected socket towards the container per client address. */
    private static Channel udp(EventLoopGroup group, InetSocketAddress listen, InetSocketAddress target)
            throws InterruptedException {
        Map<InetSocketAddress, io.netty.channel.ChannelFuture> flows = new ConcurrentHashMap<>();
        Channel server = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        InetSocketAddress client = p.sender();
                        Channel self = ctx.channel();
                        io.netty.channel.ChannelFuture flow = flows.computeIfAbsent(client, c ->
                                new Bootstrap().group(self.eventLoop()).channel(NioDatagramChannel.class)
                                        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext x, DatagramPacket reply) {
                                                self.writeAndFlush(new DatagramPacket(reply.content().retain(), client));
                                            }
                                        }).connect(target));
                        io.netty.buffer.ByteBuf data = p.content().retain();
                        flow.addListener((ChannelFutureListener) f -> {
                            if (f.isSuccess()) f.channel().writeAndFlush(data);
                            else data.release();
                        });
                    }
                }).bind(listen).sync().channel();
        server.closeFuture().addListener(f -> flows.values().forEach(cf -> cf.channel().close()));
        return server;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
