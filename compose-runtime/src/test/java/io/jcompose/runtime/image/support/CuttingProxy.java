package io.jcompose.runtime.image.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP proxy in front of a registry that drops the first connection whose response
 * passes {@code cutAfter} bytes: a real connection reset in the middle of a blob download. It
 * records the requests it forwarded so a test can see the {@code Range} of the retry.
 */
public final class CuttingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final long cutAfter;
  private final AtomicBoolean cut = new AtomicBoolean();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public CuttingProxy(int targetPort, long cutAfter) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.cutAfter = cutAfter;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The request heads seen (lower-cased). */
  public List<String> requests() {
    return requests;
  }

  public boolean hasCut() {
    return cut.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pipe(client, upstream, false));
        Thread.ofVirtual().start(() -> pipe(upstream, client, true));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean response) {
    long seen = 0;
    byte[] buf = new byte[8192];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (!response) {
          requests.add(new String(buf, 0, n, StandardCharsets.ISO_8859_1).toLowerCase());
        }
        seen += n;
        if (response && seen > cutAfter && cut.compareAndSet(false, true)) {
          out.write(buf, 0, n - (int) Math.min(n, seen - cutAfter));
          out.flush();
          from.close();
          to.close();
          return;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
