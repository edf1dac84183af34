"""Help and usage errors in the user's language.

Typer parses the command line; the words a person reads are ours. Help texts
are English source strings marked with ``N_`` where the commands are declared
and translated here, when shown; the headings (*Uso*, *Opzioni*, *Comandi*)
and the messages for a mistyped option or a missing argument are ours too,
built from what the parser reports, so nothing reaches the user in a language
they did not ask for.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from crema_budget.i18n import N_, _, closest, ngettext

PROG = "crema-budget"


def help_text(ctx: Any, width: int) -> str:
    """The help of the command in ``ctx`` (the whole tool's for the top level)."""
    command = ctx.command
    lines = [_usage_line(ctx), ""]
    description = _(command.help or "").strip() if command.help else ""
    for paragraph in description.split("\n\n"):
        label, colon, example = " ".join(paragraph.split()).partition(": ")
        # The paragraphs are wrapped at width - 2 (below): an example longer than that
        # would fold.
        if colon and example.startswith(PROG + " ") and len(f"  {label}: {example}") > width - 2:
            # An example is a command to copy: never folded in the middle.
            lines.extend([f"  {label}:", f"    {example}", ""])
            continue
        if paragraph.strip():
            lines.extend(
                textwrap.wrap(
                    " ".join(paragraph.split()),
                    width - 2,
                    initial_indent="  ",
                    subsequent_indent="  ",
                    break_on_hyphens=False,
                )
            )
            lines.append("")
    arguments = [
        (_metavar(p), _(getattr(p, "help", None) or ""))
        for p in command.params
        if p.param_type_name == "argument"
    ]
    if arguments:
        lines.append(_("Arguments:"))
        lines.extend(_definitions(arguments, width))
        lines.append("")
    options = [
        (_option_names(p), _option_help(p))
        for p in command.params
        if p.param_type_name == "option" and not getattr(p, "hidden", False)
    ]
    if options:
        lines.append(_("Options:"))
        lines.extend(_definitions(options, width))
        lines.append("")
    subcommands = getattr(command, "commands", None)
    if subcommands:
        lines.append(_("Commands:"))
        rows = [
            (name, first_sentence(_(sub.help or "")))
            for name, sub in subcommands.items()
            if not getattr(sub, "hidden", False)
        ]
        lines.extend(_definitions(rows, width))
        lines.append("")
        lines.append(
            _("Run '{prog} COMMAND --help' for a command's options and an example.").format(
                prog=ctx.command_path
            )
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _usage_line(ctx: Any) -> str:
    command = ctx.command
    parts = [_("Usage:"), ctx.command_path]
    if any(p.param_type_name == "option" for p in command.params):
        parts.append(_("[OPTIONS]"))
    if getattr(command, "commands", None):
        parts.append(_("COMMAND [ARGS]..."))
    for param in command.params:
        if param.param_type_name == "argument":
            name = _metavar(param)
            if getattr(param, "nargs", 1) == -1:
                name += "..."
            parts.append(name if param.required else f"[{name}]")
    return " ".join(parts)


def _metavar(param: Any) -> str:
    return _(param.metavar) if param.metavar else str(param.name.upper())


def _option_names(param: Any) -> str:
    names = sorted(param.opts, key=lambda name: (name.startswith("--"), name))
    text = ", ".join(names)
    if param.secondary_opts:
        text += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        text += " " + _(param.metavar) if param.metavar else " " + _("TEXT")
    return text


#: Help for the options Typer adds itself, in our words.
_BUILT_IN = {
    "install_completion": N_("Install tab completion of commands and options for your shell."),
    "show_completion": N_("Show the completion script for your shell, to install it yourself."),
}


def _option_help(param: Any) -> str:
    if param.name in _BUILT_IN:
        return _(_BUILT_IN[param.name])
    return _(getattr(param, "help", None) or "")


def first_sentence(text: str) -> str:
    """The text up to its first full stop: one followed by a capital letter and outside
    brackets, so that an abbreviation or a numbered heading ("art. 9", "(2. Tempi")
    does not end it."""
    flat = " ".join(text.split())
    depth = 0
    for index, char in enumerate(flat):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "." and not depth and re.match(r" [A-ZÀ-Ý]", flat[index + 1 : index + 3]):
            return flat[: index + 1]
    return flat


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns: names, then their help wrapped beside them."""
    if not rows:
        return []
    name_width = min(max(len(name) for name, _help in rows), 28)
    out: list[str] = []
    indent = 2 + name_width + 2
    for name, text in rows:
        wrapped = textwrap.wrap(text, max(width - indent, 20), break_on_hyphens=False) or [""]
        if len(name) > name_width:
            out.append(f"  {name}")
            out.extend(" " * indent + line for line in wrapped)
        else:
            out.append(f"  {name.ljust(name_width)}  {wrapped[0]}".rstrip())
            out.extend(" " * indent + line for line in wrapped[1:])
    return out


def error_message(exc: Any) -> tuple[str, Any]:
    """A parser error (unknown option, missing value or argument) in the user's
    language, and the context it happened in (for the usage line)."""
    ctx = getattr(exc, "ctx", None)
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        name = exc.option_name
        known = _known_options(ctx)
        others = _commands_with_option(ctx, name)
        if others and ctx is not None:
            return ngettext(
                "{command} has no option {name}; {commands} has it",
                "{command} has no option {name}; {commands} have it",
                len(others),
            ).format(command=ctx.command_path, name=name, commands=", ".join(others)), ctx
        # A long option is compared with long ones only: --al is not -l.
        known = [o for o in known if o.startswith("--") == name.startswith("--")]
        close = closest(name, known)
        if close:
            return _("no such option {name}; did you mean {suggestion}?").format(
                name=name, suggestion=close
            ), ctx
        return _("no such option {name}").format(name=name), ctx
    if kind == "BadOptionUsage":
        if "does not take a value" in str(getattr(exc, "message", "")):
            return _("option {name} takes no value").format(name=exc.option_name), ctx
        return _("option {name} needs a value").format(name=exc.option_name), ctx
    if kind == "BadParameter":
        return bad_value(exc), ctx
    if kind == "MissingParameter":
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return _("missing {argument}").format(argument=_metavar(param)), ctx
        if param is not None:
            return _("missing option {name}").format(name=" / ".join(param.opts)), ctx
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if "unexpected extra argument" in message:
        extra = message[message.rfind("(") + 1 :].rstrip(")")
        return _("unexpected argument {argument}").format(argument=repr(extra)), ctx
    return message, ctx


#: How the parser quotes the value it could not convert, at the start of its message.
_QUOTED = re.compile(r"""^('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def bad_value(exc: Any) -> str:
    """A value the parser could not convert to its option's type (a word where a
    number goes, a choice not offered, a date, a path), in our words: the parser's
    own sentence is English whatever the language of the run."""
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", ""))
    if param is None:
        return _("invalid value: {value}").format(value=message)
    argument = param.param_type_name == "argument"
    name = _metavar(param) if argument else max(param.opts, key=len)
    found = _QUOTED.match(message) or re.match(r"^(\S+) ", message)
    value = found[1] if found else "?"
    kind = getattr(param.type, "name", "")
    if kind.endswith("range") and "not in the range" in message:
        describe = getattr(param.type, "_describe_range", lambda: "")
        return _("{name}: {value} is outside the values allowed ({range})").format(
            name=name, value=value, range=describe()
        )
    if kind in ("int", "int range", "integer", "integer range"):
        text = _("{name}: {value} is not a whole number (such as 2017)")
    elif kind in ("float", "float range"):
        text = _("{name}: {value} is not a number")
    elif kind == "boolean":
        text = _("{name}: {value} is neither true nor false")
    elif kind == "choice":
        choices = ", ".join(str(c) for c in getattr(param.type, "choices", ()))
        return _("{name}: {value} is not one of: {choices}").format(
            name=name, value=value, choices=choices
        )
    elif kind == "datetime":
        text = _("{name}: {value} is not a date; write it as 2016-06-30")
    elif kind in ("path", "file", "filename", "directory"):
        text = _("{name}: {value} cannot be read")
    else:
        text = _("{name}: invalid value {value}")
    return text.format(name=name, value=value)


def command_context(group: Any, args: list[str]) -> Any:
    """The context of the command named in ``args`` (for its usage line and help
    hint), or None when no command is named."""
    commands = getattr(group, "commands", {})
    for arg in args:
        if arg in commands:
            parent = group.make_context(PROG, [], resilient_parsing=True)
            return commands[arg].make_context(arg, [], parent=parent, resilient_parsing=True)
    return None


def _commands_with_option(ctx: Any, name: str) -> list[str]:
    """The other commands that have option ``name``."""
    parent = getattr(ctx, "parent", None)
    if ctx is None or parent is None:
        return []
    return [
        command_name
        for command_name, command in sorted(parent.command.commands.items())
        if command_name != ctx.info_name
        and any(name in (*p.opts, *p.secondary_opts) for p in command.params)
    ]


def _known_options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    return [name for param in ctx.command.params for name in (*param.opts, *param.secondary_opts)]


def hint(ctx: Any) -> str:
    """What to type for help, after a usage error."""
    path = ctx.command_path if ctx is not None else "crema-budget"
    return _("Try '{command} --help' for help.").format(command=path)
