"""Writes the expected renders the Jinja chat-template tests compare against.

Renders every *.tokenizer_config.json here with the real jinja2 configured as transformers' apply_chat_template
configures it (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its own tojson,
raise_exception and strftime_now), and the snippets of snippets.json, into expected.json and snippets.expected.json:

    python3 render_expected.py

Needs jinja2 (3.1.6 wrote the committed files). The template texts are data; this script only renders them.
"""

import glob
import json
import os
from datetime import datetime

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN_KEYS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "additional_special_tokens"]

SYSTEM = {"role": "system", "content": "You are a terse assistant."}
TURNS = [
    {"role": "user", "content": "What is 2 + 2?"},
    {"role": "assistant", "content": "<think>\nAdd the numbers.\n</think>\n\nIt is 4. "},
    {"role": "user", "content": "And 3 + 3?"},
]
TRICKY = [
    {"role": "system", "content": "  Sys {{ not }} 'q' \"dq\" \n"},
    {"role": "user", "content": "ünïcödé 😀 {% raw %} <|im_end|>"},
    {"role": "assistant", "content": ""},
    {"role": "user", "content": "a\n\n  b  "},
]
CONVERSATIONS = {"chat": [SYSTEM] + TURNS, "no_system": TURNS, "tricky": TRICKY, "single_user": [{"role": "user", "content": "hi"}]}


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime(2024, 7, 26, 9, 5, 3).strftime(fmt)
    return env


def render(template, **variables):
    try:
        return environment().from_string(template).render(**variables)
    except Exception as e:  # the C# side must fail too; the message is what raise_exception said
        return {"error": str(e)}


def templates():
    expected = {}
    for path in sorted(glob.glob(os.path.join(HERE, "*.tokenizer_config.json"))):
        config = json.load(open(path, encoding="utf-8"))
        tokens = {k: config[k] for k in TOKEN_KEYS if config.get(k) is not None}
        name = os.path.basename(path).removesuffix(".tokenizer_config.json")
        expected[name] = {
            conv: {
                ("generation" if gen else "no_generation"): render(
                    config["chat_template"], messages=messages, tools=None, documents=None,
                    add_generation_prompt=gen, **tokens)
                for gen in (True, False)
            }
            for conv, messages in CONVERSATIONS.items()
        }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2)
        f.write("\n")


def snippets():
    cases = json.load(open(os.path.join(HERE, "snippets.json"), encoding="utf-8"))
    out = [{"name": c["name"], "expected": render(c["template"], **c.get("vars", {}))} for c in cases]
    with open(os.path.join(HERE, "snippets.expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    templates()
    snippets()
