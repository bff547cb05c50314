"""The comparison for scripts/bench/query.sh: the official OpenAI Python SDK (AsyncOpenAI)
sending the same requests as jb-query, with the same concurrency, writing each reply's text
and usage as a JSON line (to stdout), as jb-query does.

Usage: python3 openai_sdk.py BASE_URL CONCURRENCY REQUESTS
"""
import asyncio
import json
import sys

from openai import AsyncOpenAI


async def main(base_url: str, concurrency: int, total: int) -> None:
    client = AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    sem = asyncio.Semaphore(concurrency)
    out = sys.stdout

    async def one(i: int) -> None:
        async with sem:
            r = await client.chat.completions.create(
                model="bench/model",
                messages=[{"role": "user", "content": f"Category: BENCH\nClue: Benchmark clue number {i} names this thing"}],
            )
            out.write(json.dumps({"i": i, "text": r.choices[0].message.content,
                                  "tokens": r.usage.completion_tokens}) + "\n")
            out.flush()

    await asyncio.gather(*(one(i) for i in range(total)))
    await client.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
