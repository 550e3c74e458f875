"""Writes jinja2-goldens.json: templates rendered by Python Jinja2 under its whitespace options.

The TypeScript engine must print the same bytes. Regenerate with
    python3 test/golden/prompt/make_jinja2_goldens.py
(needs the jinja2 package; the JSON file is committed, so the tests do not need Python).
"""
import json
import os

import jinja2

CASES = [
    # Final newlines.
    ("Hi {{ name }}\n", {"name": "x"}),
    ("Hi {{ name }}", {"name": "x"}),
    ("Hi {{ name }}\n\n", {"name": "x"}),
    ("\nleading newline\n", {}),
    ("ends with a backslash\\", {}),
    # Block tags on their own lines.
    ("{% if flag %}\nyes\n{% endif %}\n", {"flag": True}),
    ("{% if flag %}\nyes\n{% else %}\nno\n{% endif %}\nafter\n", {"flag": False}),
    ("  {% if flag %}\n  yes\n  {% endif %}\nend", {"flag": True}),
    ("{% for w in words %}\n- {{ w }}\n{% endfor %}\n", {"words": ["a", "b"]}),
    ("\t{% for w in words %}{{ w }},{% endfor %}\t\n", {"words": ["a", "b"]}),
    # Explicit whitespace control.
    ("a  {%- if flag -%}  b  {%- endif -%}  c\n", {"flag": True}),
    ("a\n  {{- name -}}\n  b", {"name": "x"}),
    ("x {#- a comment -#}\n y", {}),
    ("x {# a comment #}\ny\n", {}),
    ("{% set n = 3 %}\n{{ n }}\n", {}),
    ("line1\n{# comment on its own line #}\nline2", {}),
    # Printing values the way Python's str() does.
    ("Cards: {{ cards }}", {"cards": ["2", "K", "10", "A"]}),
    ("{{ words }}", {"words": ["it's", 'say "hi"', "back\\slash", "tab\there", "new\nline"]}),
    ("{{ nums }} {{ flag }} {{ nothing }}", {"nums": [1, 2, 3], "flag": True, "nothing": None}),
    ("{{ f }} {{ g }} {{ h }}", {"f": 0.5, "g": 2.5, "h": 1e-5}),
    ("{{ d }}", {"d": {"a": 1, "b": ["x"]}}),
    ("{{ [1, 'two', none, true] }}", {}),
    ("{{ 7 / 2 }} {{ 7 // 2 }} {{ 2 ** 3 }}", {}),
    ("{{ words | join(', ') }} / {{ words | length }} / {{ words[0] | upper }}", {"words": ["up", "down"]}),
    ("{{ 'x' ~ n ~ 'y' }}", {"n": 24}),
    ("{{ name | default('anon') }}", {}),
    ("{% if name is defined %}{{ name }}{% else %}none{% endif %}", {}),
    ("{% for w in words %}{{ loop.index }}:{{ w }}{% if not loop.last %}, {% endif %}{% endfor %}", {"words": ["a", "b", "c"]}),
    ("{% macro tag(x) %}<answer> {{ x }} </answer>{% endmacro %}{{ tag('Up') }} | {{ tag('Down') }}", {}),
    ("Unicode: {{ s }} \u221a \u2b06\ufe0f", {"s": "\u221a"}),
    ("braces { and } and {x} stay", {}),
    # Windows and old Mac line endings become "\n".
    ("a\r\n{% if flag %}\r\nb\r\n{% endif %}\r\nc\r\n", {"flag": True}),
    ("x\ry\r\n{{ name }}\r", {"name": "n"}),
]

OPTIONS = [
    {"keep_trailing_newline": True, "trim_blocks": False, "lstrip_blocks": False},
    {"keep_trailing_newline": False, "trim_blocks": False, "lstrip_blocks": False},
    {"keep_trailing_newline": False, "trim_blocks": True, "lstrip_blocks": True},
]


# Chat renders of the Qwen2.5 template with the settings transformers uses for chat templates.
CHAT_CASES = [
    ([{"role": "user", "content": "Hi"}], True),
    ([{"role": "user", "content": "Hi"}], False),
    ([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "2+2?"}], True),
    ([{"role": "user", "content": "\n[Task Description]\nCards: ['2', 'K']\n}\n\n"}], True),
    ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}], True),
]


def main():
    out = []
    for template, variables in CASES:
        for options in OPTIONS:
            env = jinja2.Environment(**options)
            out.append({
                "template": template,
                "vars": variables,
                "options": options,
                "output": env.from_string(template).render(**variables),
            })
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "qwen2.5-chat-template.jinja"), encoding="utf-8") as f:
        chat_template = f.read()
    chat_env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    chat = [
        {
            "messages": messages,
            "add_generation_prompt": add,
            "output": chat_env.from_string(chat_template).render(messages=messages, add_generation_prompt=add),
        }
        for messages, add in CHAT_CASES
    ]
    path = os.path.join(here, "jinja2-goldens.json")
    with open(path, "w", encoding="utf-8") as f:
        doc = {"generator": "Python Jinja2 " + jinja2.__version__, "cases": out, "qwen25_chat": chat}
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
