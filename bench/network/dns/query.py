"""Times N sequential UDP A queries for NAME to the embedded resolver; prints one JSON line.

Usage: python3 /query.py N NAME [WARMUP]. Each answer must carry the query's id, rcode 0 and at
least one answer record, or it counts as an error (and a bad run).
"""
import json
import socket
import struct
import sys
import time


def query(qid, name):
    header = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    qname = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return header + qname + struct.pack(">HH", 1, 1)


def main():
    n, name = int(sys.argv[1]), sys.argv[2]
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.connect(("127.0.0.11", 53))
    lat, errors, answers = [], 0, 0
    for i in range(n + warmup):
        qid = i & 0xFFFF
        t0 = time.perf_counter_ns()
        s.send(query(qid, name))
        try:
            data = s.recv(1500)
        except socket.timeout:
            errors += 1
            continue
        dt = time.perf_counter_ns() - t0
        _, flags, _, ancount = struct.unpack(">HHHH", data[:8])
        if data[:2] != struct.pack(">H", qid) or flags & 0xF != 0 or ancount == 0:
            errors += 1
        answers = ancount
        if i >= warmup:
            lat.append(dt)
    lat.sort()

    def pct(p):
        return round(lat[min(len(lat) - 1, int(len(lat) * p))] / 1e6, 3)

    print(json.dumps({"queries": len(lat), "errors": errors, "answers": answers,
                      "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": round(lat[-1] / 1e6, 3)}))


main()
