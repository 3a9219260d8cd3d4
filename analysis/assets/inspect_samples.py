"""Reads an Inspect eval log with inspect-ai's own reader and prints what `harness score --inspect-log` needs.

Usage: python inspect_samples.py LOG

Prints one JSON object on stdout: the eval's task name, model and status, and per sample its id, epoch,
metadata, scores (name, value, answer, metadata) in the log's order, the output's completion and the text
of the last assistant message. Exit 3, with the reader's error on stderr, when the file is not a log
inspect_ai.log.read_eval_log can read (it reads both the .json and the .eval format).
"""

import json
import sys


def text_of(content):
    """A message's content as text: a string as it is, a list of content parts as their text joined."""
    if content is None:
        return None
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        text = getattr(part, "text", None)
        if isinstance(text, str):
            parts.append(text)
    return "\n".join(parts)


def plain(value):
    """A JSON-ready copy of a score value or a metadata value (pydantic models and odd types as text)."""
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def main():
    try:
        from inspect_ai.log import read_eval_log

        log = read_eval_log(sys.argv[1])
    except Exception as error:  # any failure to read is the input's fault: say what the reader said
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(3)
    samples = []
    for sample in log.samples or []:
        assistant = [m for m in (sample.messages or []) if getattr(m, "role", None) == "assistant"]
        scores = []
        for name, score in (sample.scores or {}).items():
            scores.append(
                {
                    "name": name,
                    "value": plain(score.value),
                    "answer": score.answer,
                    "metadata": {k: plain(v) for k, v in (score.metadata or {}).items()},
                }
            )
        samples.append(
            {
                "id": sample.id,
                "epoch": sample.epoch,
                "metadata": {k: plain(v) for k, v in (sample.metadata or {}).items()},
                "scores": scores,
                "completion": sample.output.completion if sample.output else None,
                "lastAssistant": text_of(assistant[-1].content) if assistant else None,
                "error": sample.error.message if sample.error else None,
            }
        )
    print(
        json.dumps(
            {
                "task": log.eval.task,
                "model": log.eval.model,
                "status": log.status,
                "samples": samples,
            }
        )
    )


if __name__ == "__main__":
    main()
