package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.ApiVersion;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.model.ErrorResponse;
import io.jcompose.runtime.io.ChunkQueueInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP/1.1 handling: version prefix, routing, dispatch of the handler to a
 * virtual thread, and writing its answer (full, chunked, or hijacked). One request at a time per
 * connection: reading pauses while a request runs.
 */
final class EngineHttpHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(EngineHttpHandler.class);
    private static final Pattern VERSIONED = Pattern.compile("^/v([0-9.]+)(/.*)$");

    static final String CODEC = "http-codec";
    static final String AGGREGATOR = "http-aggregator";

    private final Router router;
    private final ServerHeaders serverHeaders;
    private final ExecutorService executor;

    private boolean inFlight;
    private volatile boolean inputShutdown;
    /** A streamed answer is being written: a client that stops sending has gone (as Go's server sees it). */
    private volatile boolean streaming;
    private volatile Hijacked hijacked;

    EngineHttpHandler(Router router, ServerHeaders serverHeaders, ExecutorService executor) {
        this.router = router;
        this.serverHeaders = serverHeaders;
        this.executor = executor;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (hijacked != null) {
            if (msg instanceof ByteBuf buf) {
                hijacked.stdin.offer(ByteBufUtil.getBytes(buf));
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            accept(ctx, request);
        } finally {
            request.release();
        }
    }

    private void accept(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            sendFull(ctx, error(400, "malformed HTTP request"), false, false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name().toUpperCase(Locale.ROOT);
        String path = uri.path();
        ApiVersion version = ApiVersion.MAX;
        Matcher vm = VERSIONED.matcher(path);
        if (vm.matches()) {
            try {
                version = ApiVersion.parse(vm.group(1));
            } catch (IllegalArgumentException e) {
                sendFull(ctx, error(400, e.getMessage()), keepAlive, false);
                return;
            }
            if (version.lessThan(ApiVersion.MIN)) {
                sendFull(ctx, error(400, "client version " + vm.group(1) + " is too old. Minimum supported API version is "
                        + ApiVersion.MIN + ", please upgrade your client to a newer version"), keepAlive, false);
                return;
            }
            if (ApiVersion.MAX.lessThan(version)) {
                version = ApiVersion.MAX; // serve newer clients as our max rather than rejecting them
            }
            path = vm.group(2);
        }
        Router.Match match;
        try {
            match = router.match(method, path);
        } catch (EngineApiException e) {
            sendFull(ctx, error(e.status(), e.getMessage()), keepAlive, method.equals("HEAD"));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
        byte[] body = ByteBufUtil.getBytes(request.content());
        ApiRequest apiRequest = new ApiRequest(method, path, version, uri.parameters(), match.params(), headers, body);

        inFlight = true;
        Channel channel = ctx.channel();
        if (match.route().hijacks()) {
            // Stop HTTP decoding now: whatever the client sends next is raw stdin (bytes the codec
            // has buffered are handed on to us when it is removed).
            hijacked = new Hijacked(channel);
            ctx.pipeline().remove(AGGREGATOR);
            ctx.pipeline().remove(CODEC);
            if (inputShutdown) {
                hijacked.stdin.end();
            }
        } else {
            channel.config().setAutoRead(false);
        }
        ApiHandler handler = match.route().handler();
        boolean head = method.equals("HEAD");
        executor.execute(() -> run(ctx, handler, apiRequest, keepAlive, head));
    }

    private void run(ChannelHandlerContext ctx, ApiHandler handler, ApiRequest request, boolean keepAlive, boolean head) {
        ApiResponse response;
        try {
            response = handler.handle(request);
        } catch (EngineApiException e) {
            response = e.status() == 304 ? new ApiResponse.NoBody(304) : error(e.status(), e.getMessage());
        } catch (Exception | Error e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            response = error(500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        try {
            if (hijacked != null) {
                respondHijacked(ctx, request, response);
            } else {
                respond(ctx, response, keepAlive, head, Map.of());
            }
        } catch (Exception e) {
            LOG.debug("{} {}: writing the response failed: {}", request.method(), request.path(), e.toString());
            ctx.close();
        }
    }

    private void respond(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, boolean head, Map<String, String> extra)
            throws Exception {
        switch (response) {
            case ApiResponse.WithHeaders w -> {
                Map<String, String> all = new LinkedHashMap<>(extra);
                all.putAll(w.headers());
                respond(ctx, w.inner(), keepAlive, head, all);
            }
            case ApiResponse.Stream s -> stream(ctx, s.status(), s.contentType(), s.writer(), false, keepAlive, extra);
            case ApiResponse.LazyStream s -> stream(ctx, s.status(), s.contentType(), s.writer(), true, keepAlive, extra);
            case ApiResponse.Hijack h -> throw new IllegalStateException("route is not registered as hijacking");
            default -> {
                DefaultFullHttpResponse full = full(response);
                extra.forEach((k, v) -> full.headers().set(k, v));
                sendFull(ctx, full, keepAlive, head);
            }
        }
    }

    private DefaultFullHttpResponse full(ApiResponse response) {
        return switch (response) {
            case ApiResponse.JsonBody j -> {
                byte[] bytes = jsonLine(j.body()); // Go's json.Encoder ends every body with a newline
                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(j.status()),
                        Unpooled.wrappedBuffer(bytes));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                yield r;
            }
            case ApiResponse.Text t -> {
                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(t.status()),
                        Unpooled.copiedBuffer(t.text(), StandardCharsets.UTF_8));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, t.contentType());
                yield r;
            }
            case ApiResponse.NoBody n -> new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(n.status()));
            default -> throw new IllegalStateException("not a full response: " + response);
        };
    }

    private void sendFull(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, boolean head) {
        sendFull(ctx, full(response), keepAlive, head);
    }

    private void sendFull(ChannelHandlerContext ctx, DefaultFullHttpResponse r, boolean keepAlive, boolean head) {
        serverHeaders.asMap().forEach((k, v) -> r.headers().set(k, v));
        int status = r.status().code();
        if (status != 204 && status != 304) {
            HttpUtil.setContentLength(r, r.content().readableBytes());
        }
        if (head) {
            // HEAD answers carry no body (moby's _ping sends Content-Length: 0)
            r.content().clear();
            HttpUtil.setContentLength(r, 0);
        }
        finish(ctx, ctx.writeAndFlush(r), keepAlive);
    }

    private void stream(ChannelHandlerContext ctx, int status, String contentType, ApiResponse.StreamWriter writer, boolean lazy,
            boolean keepAlive, Map<String, String> extra) throws Exception {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        serverHeaders.asMap().forEach((k, v) -> head.headers().set(k, v));
        extra.forEach((k, v) -> head.headers().set(k, v));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(head, true);
        Channel channel = ctx.channel();
        AtomicBoolean headSent = new AtomicBoolean();
        Runnable sendHead = () -> {
            if (headSent.compareAndSet(false, true)) {
                channel.writeAndFlush(head);
            }
        };
        if (!lazy) {
            sendHead.run(); // headers at once: `docker run` blocks on them (wait, §3.4)
        }
        streaming = true;
        if (inputShutdown) {
            channel.close(); // the client left before the stream began
        }
        ChannelOutput out = new ChannelOutput(channel, true);
        ResponseStream rs = new ResponseStream() {
            @Override
            public void write(byte[] bytes) throws IOException {
                sendHead.run();
                out.write(bytes, 0, bytes.length);
            }

            @Override
            public void writeJsonLine(Object value) throws IOException {
                write(jsonLine(value));
            }

            @Override
            public boolean isOpen() {
                return out.isOpen();
            }

            @Override
            public void onClose(Runnable action) {
                channel.closeFuture().addListener(f -> action.run());
            }
        };
        try {
            writer.write(rs);
        } catch (EngineApiException e) {
            if (!headSent.get()) {
                streaming = false;
                sendFull(ctx, e.status() == 304 ? new ApiResponse.NoBody(304) : error(e.status(), e.getMessage()), keepAlive, false);
                return;
            }
            LOG.warn("stream failed after it began: {}", e.getMessage());
        } catch (IOException e) {
            LOG.debug("stream ended: {}", e.toString());
        } catch (Exception e) {
            LOG.warn("stream writer failed", e);
        }
        streaming = false;
        sendHead.run();
        if (channel.isActive()) {
            finish(ctx, channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
        }
    }

    private void finish(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written, boolean keepAlive) {
        ctx.channel().eventLoop().execute(() -> {
            inFlight = false;
            if (!keepAlive || inputShutdown) {
                written.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private void respondHijacked(ChannelHandlerContext ctx, ApiRequest request, ApiResponse response) throws Exception {
        Channel channel = ctx.channel();
        Map<String, String> extra = new LinkedHashMap<>();
        while (response instanceof ApiResponse.WithHeaders w) {
            extra.putAll(w.headers());
            response = w.inner();
        }
        if (!(response instanceof ApiResponse.Hijack h)) {
            // an error (or a plain answer) before the stream began: raw HTTP, then close
            byte[] body = switch (response) {
                case ApiResponse.JsonBody j -> jsonLine(j.body());
                case ApiResponse.Text t -> t.text().getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
            Map<String, String> headers = new LinkedHashMap<>(serverHeaders.asMap());
            headers.putAll(extra);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", Integer.toString(body.length));
            headers.put("Connection", "close");
            writeRaw(channel, head(response.status(), HttpResponseStatus.valueOf(response.status()).reasonPhrase(), headers));
            writeRaw(channel, body);
            channel.close();
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", h.contentType());
        boolean upgrade = request.wantsUpgrade();
        if (upgrade) {
            headers.put("Connection", "Upgrade");
            headers.put("Upgrade", "tcp");
        }
        headers.putAll(serverHeaders.asMap());
        headers.putAll(extra);
        writeRaw(channel, upgrade ? head(101, "UPGRADED", headers) : head(200, "OK", headers));
        try {
            h.handler().serve(hijacked);
        } catch (IOException e) {
            LOG.debug("hijacked stream ended: {}", e.toString());
        } catch (Exception e) {
            LOG.warn("{} {}: hijacked stream failed", request.method(), request.path(), e);
        } finally {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] jsonLine(Object value) {
        byte[] json = Json.mapper().writeValueAsBytes(value);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private static byte[] head(int status, String reason, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void writeRaw(Channel channel, byte[] bytes) throws IOException {
        new ChannelOutput(channel, false).write(bytes, 0, bytes.length);
    }

    private static ApiResponse error(int status, String message) {
        return new ApiResponse.JsonBody(status, new ErrorResponse(message));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (hijacked != null) {
                hijacked.stdin.end(); // half-close = stdin EOF; output keeps flowing
            } else if (!inFlight || streaming) {
                ctx.close(); // idle, or a stream (events, logs -f) whose client has gone
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (hijacked != null) {
            hijacked.hangup();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error: {}", cause.toString());
        ctx.close();
    }

    /** The state of a hijacked connection. */
    private static final class Hijacked implements HijackedConnection {
        final ChunkQueueInputStream stdin = new ChunkQueueInputStream();
        final ChannelOutput output;
        final OutputStream stdout;
        final AtomicBoolean open = new AtomicBoolean(true);
        final List<Runnable> hangupActions = new ArrayList<>();

        Hijacked(Channel channel) {
            this.output = new ChannelOutput(channel, false);
            this.stdout = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    output.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    output.write(b, off, len);
                }
            };
        }

        void hangup() {
            stdin.end();
            List<Runnable> actions;
            synchronized (hangupActions) {
                open.set(false);
                actions = List.copyOf(hangupActions);
            }
            actions.forEach(Runnable::run);
        }

        @Override
        public java.io.InputStream stdin() {
            return stdin;
        }

        @Override
        public OutputStream stdout() {
            return stdout;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void onHangup(Runnable action) {
            synchronized (hangupActions) {
                if (open.get()) {
                    hangupActions.add(action);
                    return;
                }
            }
            action.run();
        }
    }
}
