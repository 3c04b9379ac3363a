"""devstack web app: counts visits in redis and logs each one as a row in mariadb.

Standard library only: the redis (RESP) and MariaDB client protocols are spoken directly over
sockets, so the image needs nothing but python3.
"""
import hashlib
import json
import os
import socket
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIS_HOST = os.environ.get("REDIS_HOST", "cache")
DB_HOST = os.environ.get("DB_HOST", "db")
DB_USER = os.environ["DB_USER"]
DB_PASSWORD = os.environ["DB_PASSWORD"]
DB_NAME = os.environ["DB_NAME"]
PORT = int(os.environ.get("PORT", "8000"))


# --- redis: RESP2 over TCP ---------------------------------------------------------------
def redis_command(*args):
    with socket.create_connection((REDIS_HOST, 6379), timeout=5) as s:
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            b = str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
        s.sendall(b"".join(parts))
        reply = s.makefile("rb").readline()
    if reply.startswith(b"-"):
        raise RuntimeError("redis: " + reply[1:].decode().strip())
    return reply[1:].decode().strip()


# --- MariaDB: client/server protocol, mysql_native_password, text queries ------------------
class MariaDB:
    def __init__(self, host, user, password, database):
        self.sock = socket.create_connection((host, 3306), timeout=10)
        self.seq = 0
        greeting = self._read()
        # protocol 10 greeting: version\0, thread id, scramble part 1, ..., scramble part 2
        pos = greeting.index(b"\0", 1) + 1 + 4
        salt = greeting[pos:pos + 8]
        pos += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
        salt += greeting[pos:pos + 12]
        token = self._scramble(password.encode(), salt)
        caps = 0x0200 | 0x8000 | 0x0008 | 0x80000  # PROTOCOL_41, SECURE_CONN, CONNECT_WITH_DB, PLUGIN_AUTH
        payload = struct.pack("<IIB23x", caps, 1 << 24, 33)
        payload += user.encode() + b"\0" + bytes([len(token)]) + token
        payload += database.encode() + b"\0" + b"mysql_native_password\0"
        self._write(payload)
        self._expect_ok()

    @staticmethod
    def _scramble(password, salt):
        if not password:
            return b""
        h1 = hashlib.sha1(password).digest()
        h2 = hashlib.sha1(salt + hashlib.sha1(h1).digest()).digest()
        return bytes(a ^ b for a, b in zip(h1, h2))

    def _read(self):
        header = self._recv(4)
        length = header[0] | header[1] << 8 | header[2] << 16
        self.seq = (header[3] + 1) & 0xFF
        return self._recv(length)

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("mariadb: connection closed")
            data += chunk
        return data

    def _write(self, payload):
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq]) + payload)

    def _expect_ok(self):
        packet = self._read()
        if packet[0] == 0xFF:
            raise RuntimeError("mariadb: " + packet[9:].decode(errors="replace"))
        return packet

    def execute(self, sql):
        """Runs a statement that returns no rows."""
        self.seq = 0
        self._write(b"\x03" + sql.encode())
        self._expect_ok()

    def scalar(self, sql):
        """Runs a query and returns the first column of its first row, as text."""
        self.seq = 0
        self._write(b"\x03" + sql.encode())
        first = self._read()
        if first[0] == 0xFF:
            raise RuntimeError("mariadb: " + first[9:].decode(errors="replace"))
        for _ in range(first[0]):  # column definitions
            self._read()
        packet = self._read()
        if packet[0] == 0xFE and len(packet) < 9:  # EOF after columns (no CLIENT_DEPRECATE_EOF)
            packet = self._read()
        value = packet[1:1 + packet[0]].decode()
        while not (packet[0] == 0xFE and len(packet) < 9):  # drain remaining rows and the EOF
            packet = self._read()
        return value

    def close(self):
        self.sock.close()


def record_visit(path):
    count = int(redis_command("INCR", "visits"))
    db = MariaDB(DB_HOST, DB_USER, DB_PASSWORD, DB_NAME)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS visits (id INT AUTO_INCREMENT PRIMARY KEY, "
                   "path VARCHAR(255) NOT NULL, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)")
        safe = path.replace("\\", "\\\\").replace("'", "\\'")[:255]
        db.execute("INSERT INTO visits (path) VALUES ('%s')" % safe)
        rows = int(db.scalar("SELECT COUNT(*) FROM visits"))
    finally:
        db.close()
    return count, rows


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            return self._send(200, {"status": "ok"})
        try:
            count, rows = record_visit(self.path)
        except Exception as e:  # report the failing dependency to the caller
            return self._send(503, {"error": str(e)})
        self._send(200, {"visits": count, "rows": rows, "host": socket.gethostname()})

    def _send(self, status, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


if __name__ == "__main__":
    print("devstack app listening on :%d" % PORT, flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
