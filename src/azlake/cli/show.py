"""One plan printed in the format asked for: text, JSON or Markdown (a PR comment)."""

from __future__ import annotations

import json
from enum import Enum

from azlake.cli import render
from azlake.cli.options import header


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def show_plan(plan, clients, fmt: Format, command: str = "plan") -> None:
    head = header(command, clients, plan.environment)
    if fmt is Format.json:
        print(json.dumps(plan.to_json(), indent=2))
    elif fmt is Format.markdown:
        from azlake.cli.comment_fit import environment_comment
        print(environment_comment(plan, head), end="")
    else:
        render.print_plan_text(plan, head)
