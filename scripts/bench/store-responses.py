#!/usr/bin/env python3
"""Writes N synthetic jb response records (JSON Lines) for the jb-store benchmark.

Questions come from stdin (jb-ingest output) when given, cycled as needed; else they are
made up. Every field of the response record contract is present, with varied values, and
records are written canonically (sorted keys, compact), as jb-query writes them.
Usage: store-responses.py N [questions.jsonl] > responses.jsonl
"""
import hashlib
import json
import random
import sys

n = int(sys.argv[1])
questions = []
seen = set()
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                q = json.loads(line)
                if q.get("id") not in seen:
                    seen.add(q.get("id"))
                    questions.append(q)
if not questions:
    rounds = ["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"]
    for k in range(20000):
        r = rounds[k % 3]
        questions.append({
            "id": "%016x" % (k * 2654435761 % (1 << 64)), "show_number": 1000 + k // 61,
            "air_date": "%04d-%02d-%02d" % (1984 + k % 40, 1 + k % 12, 1 + k % 28), "round": r,
            "category": "CATEGORY %d" % (k % 997), "value": None if r == "Final Jeopardy!" else 200 * (1 + k % 5),
            "daily_double": k % 29 == 0, "difficulty": None if r == "Final Jeopardy!" else 1 + k % 5,
            "clue": "This synthetic clue number %d names a thing the contestant must identify" % k,
            "answer": "thing %d" % k, "media": False,
        })

rng = random.Random(7)
models = ["openai/gpt-4o-mini", "anthropic/claude-3.5-haiku", "meta-llama/llama-3.1-70b-instruct", "sim/good"]
out = sys.stdout
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
for i in range(n):
    # Every (question, model, epoch) once: the i-th record's key is unique.
    q = questions[i % len(questions)]
    model = models[(i // len(questions)) % len(models)]
    epoch = 1 + i // (len(questions) * len(models))
    r = dict(q)
    err = rng.random() < 0.01
    prompt, completion = 60 + rng.randrange(40), 5 + rng.randrange(60)
    r.update({
        "model": model, "template": "jeopardy", "template_hash": "9f86d081884c7d65",
        "params": {"max_tokens": 256, "temperature": 0}, "epoch": epoch,
        "key": hashlib.sha256(("%s|%s|%d" % (model, q["id"], epoch)).encode()).hexdigest(),
        "run_id": "bench-run", "provider": "sim" if model.startswith("sim/") else "openrouter",
        "upstream_provider": None if model.startswith("sim/") else "DeepInfra",
        "response_text": None if err else "What is %s?" % q.get("answer", ""),
        "finish_reason": None if err else "stop", "latency_ms": 200 + rng.randrange(3000),
        "ttft_ms": None, "tokens": {"prompt": None if err else prompt, "completion": None if err else completion},
        "cost_usd": None if err else round((prompt * 0.15 + completion * 0.6) / 1e6, 12),
        "cost_source": "none" if err else "api", "attempts": 3 if err else 1, "cached": False,
        "error": {"status": 429, "code": 429, "message": "rate limited"} if err else None,
        "created_at": "2026-05-01T12:%02d:%02dZ" % (i // 60 % 60, i % 60),
    })
    out.write(dumps(r))
    out.write("\n")
