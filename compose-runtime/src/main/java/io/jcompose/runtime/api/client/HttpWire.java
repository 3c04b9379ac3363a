package io.jcompose.runtime.api.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal HTTP/1.1 on a {@link DockerHost.Connection}: one request per connection; bodies framed by
 * Content-Length, chunked, or the connection's end; a hijacked connection keeps the raw streams.
 */
final class HttpWire {

    private HttpWire() {}

    /** A response head plus its body stream; closing it closes the connection. */
    record Response(int status, Map<String, String> headers, InputStream body, DockerHost.Connection connection) implements AutoCloseable {

        /** A header (name case-insensitive), or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The whole body. */
        byte[] readAll() throws IOException {
            try (InputStream b = body) {
                return b.readAllBytes();
            }
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /** Writes a request body of a known length onto the connection. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    static Response exchange(DockerHost host, String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        if (body == null) {
            return exchange(host, method, target, headers, null, -1, null);
        }
        return exchange(host, method, target, headers, "application/json", body.length, out -> out.write(body));
    }

    /**
     * One exchange with a streamed body (e.g. a build context tar), framed by Content-Length.
     *
     * @param contentType the body's type, or null without a body
     * @param length the body's length in bytes, or -1 without a body
     * @param body writes exactly {@code length} bytes, or null without a body
     */
    static Response exchange(DockerHost host, String method, String target, Map<String, String> headers, String contentType, long length,
            BodyWriter body) throws IOException {
        DockerHost.Connection c = host.open();
        try {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            sb.append("Host: ").append(host instanceof DockerHost.Tcp t ? t.host() + ":" + t.port() : "docker").append("\r\n");
            sb.append("User-Agent: jcompose-engine-client\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
                    sb.append("Content-Type: ").append(contentType).append("\r\n"); // unless the caller set its own
                }
                sb.append("Content-Length: ").append(length).append("\r\n");
            } else if (method.equals("POST") || method.equals("PUT")) {
                sb.append("Content-Length: 0\r\n");
            }
            sb.append("\r\n");
            OutputStream out = c.out();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                body.writeTo(out);
            }
            out.flush();
            InputStream in = new BufferedInputStream(c.in(), 16 * 1024);
            String status = readLine(in);
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response from " + host + ": " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            Map<String, String> h = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    h.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
                }
            }
            InputStream bodyStream;
            String te = h.get("transfer-encoding");
            String cl = h.get("content-length");
            if (method.equals("HEAD") || code == 204 || code == 304 || code == 101) {
                bodyStream = code == 101 ? in : InputStream.nullInputStream();
            } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                bodyStream = new ChunkedInputStream(in);
            } else if (cl != null) {
                bodyStream = new BoundedInputStream(in, Long.parseLong(cl.trim()));
            } else {
                bodyStream = in; // close-delimited (a hijacked answer without Upgrade)
            }
            return new Response(code, h, bodyStream, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Reads a CRLF (or LF) terminated line as ISO-8859-1; null at EOF before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** At most {@code limit} bytes of the underlying stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
