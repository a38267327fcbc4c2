"""What the web console agrees to run: one kubectl command, decided before anything runs.

`check_command(text)` is a pure function: it returns the argument list to give kubectl
(without the leading "kubectl") or raises CommandRefused with a Korean message. Nothing
here touches a process, a file or the network, so every refusal is testable on its own.

The command is never given to a shell. We still refuse shell syntax (pipes, `;`, `&&`,
`$(…)`, backticks, redirections) because a student who types them expects a shell, and
getting them passed to kubectl as literal words would only confuse.
"""

import shlex
import unicodedata

from kubaeum.errors import UserError

from .rules import (
    ALLOWED,
    BOOL_SHORT_FORBIDDEN,
    FORBIDDEN_LONG,
    FORBIDDEN_LONG_PREFIXES,
    FORBIDDEN_SHORT,
    FORBIDDEN_SUBCOMMANDS,
    NESTED,
    OUTPUT_FILE_HINT,
    VALUE_SHORT,
    WATCH_LONG,
    WATCHABLE,
)

MAX_LENGTH = 1000
MAX_ARGS = 64

# Characters that look like "-" to a reader; kubectl would not take them as a dash,
# but a flag spelled with them is an attempt we answer plainly instead of passing on.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


class CommandRefused(UserError):
    """The Korean reason shown to the student; the command was not run."""


def check_command(text: str) -> list[str]:
    text = (text or "").strip()
    if not text:
        raise CommandRefused("명령을 입력하세요. 예: kubectl get pods")
    if len(text) > MAX_LENGTH:
        raise CommandRefused(f"명령이 너무 깁니다 (최대 {MAX_LENGTH}자).")
    _refuse_invisible(text)
    _refuse_shell_syntax(text)
    try:
        args = shlex.split(text, comments=True)
    except ValueError:
        raise CommandRefused("따옴표가 닫히지 않았습니다. 따옴표 짝을 확인하세요.") from None
    if not args:
        raise CommandRefused("명령을 입력하세요. 예: kubectl get pods")
    if len(args) > MAX_ARGS:
        raise CommandRefused(f"인자가 너무 많습니다 (최대 {MAX_ARGS}개).")
    if args[0] in ("kubectl", "k"):  # "k" is the alias most tutorials set up
        args = args[1:]
    elif _normalise(args[0]).casefold().endswith("kubectl"):
        raise CommandRefused("kubectl은 경로 없이 'kubectl'로만 부를 수 있습니다.")
    if not args:
        raise CommandRefused("kubectl 다음에 명령을 입력하세요. 예: kubectl get pods")
    subcommand = _peek_subcommand(args)
    may_watch = subcommand in WATCHABLE
    # `auth can-i --as=<user>` is how a student checks the RBAC they just wrote. It is safe
    # to let through: impersonating needs the `impersonate` verb, which the API server
    # checks, and a namespace sandbox's account does not have it.
    may_impersonate = subcommand == "auth" and [
        _normalise(a) for a in args[_subcommand_position(args) + 1 :][:1]
    ] == ["can-i"]
    for position, arg in enumerate(args):
        if arg == "--" and subcommand == "exec":
            break  # what follows is the container's own command line, not kubectl's flags
        if may_impersonate and _normalise(arg).split("=", 1)[0] in ("--as", "--as-group"):
            continue
        _check_flag(arg, args[position + 1] if position + 1 < len(args) else None, may_watch)
    _check_subcommand(args)
    if subcommand == "exec":
        _check_exec(args)
    return args


# Commands that wait for something (or run a student's process) end after this many seconds.
WAIT_SECONDS = 10
_WAITING = {"wait", "exec"}


def time_limit(args: list[str]) -> int | None:
    """Seconds a command that waits may run (None: the runner's usual limit)."""
    subcommand = _peek_subcommand(args)
    position = _subcommand_position(args) if subcommand else 0
    following = args[position + 1] if position + 1 < len(args) else None
    if subcommand in _WAITING or (subcommand == "rollout" and following == "status"):
        return WAIT_SECONDS
    return None


# What writes objects in the sandbox: "이어서 하기" replays these (labs/sandbox/continuity.py).
WRITES = {"create", "run", "expose", "scale", "autoscale", "set", "label", "annotate", "patch", "delete"}
ROLLOUT_WRITES = {"undo", "restart", "pause", "resume"}


def changes_objects(args: list[str]) -> bool:
    """Whether an accepted command changed the sandbox (not a dry run or a help page)."""
    subcommand = _peek_subcommand(args)
    if subcommand == "rollout":
        position = _subcommand_position(args)
        if (args[position + 1] if position + 1 < len(args) else None) not in ROLLOUT_WRITES:
            return False
    elif subcommand not in WRITES:
        return False
    for arg in args:
        flag = _normalise(arg)
        if flag in ("-h", "--help") or (flag.startswith("--dry-run") and flag != "--dry-run=none"):
            return False
    return True


def _raw_path(args: list[str]) -> str | None:
    for position, arg in enumerate(args):
        flag = _normalise(arg)
        if flag.startswith("--raw="):
            return flag[len("--raw=") :]
        if flag == "--raw" and position + 1 < len(args):
            return args[position + 1]
    return None


def _check_exec(args: list[str]) -> None:
    """`kubectl exec POD [-c CONTAINER] -- COMMAND ...`: one command, no terminal, no stdin."""
    if "--" not in args:
        raise CommandRefused(
            "kubectl exec는 실행할 명령을 -- 뒤에 적어야 합니다. 예: kubectl exec web-0 -- cat /etc/hostname"
        )
    split = args.index("--")
    if split == len(args) - 1:
        raise CommandRefused("-- 뒤에 컨테이너에서 실행할 명령을 적으세요. 예: kubectl exec web-0 -- ls /")
    before = args[_subcommand_position(args) + 1 : split]
    if not any(not word.startswith("-") for word in before):
        raise CommandRefused("명령을 실행할 파드 이름을 적으세요. 예: kubectl exec web-0 -- ls /")


def wants_watch(args: list[str]) -> bool:
    """`get -w` / `events -w` / a --raw path that watches or follows (already allowed by
    check_command): the runner bounds them in time."""
    raw = (_raw_path(args) or "").casefold()
    if "watch" in raw or "follow" in raw:
        return True
    for arg in args:
        if arg == "--":
            break
        flag = _normalise(arg)
        if flag.startswith("--"):
            name, _, value = flag[2:].partition("=")
            if name.casefold() in WATCH_LONG and value.casefold() not in ("false", "0"):
                return True
        elif flag.startswith("-") and len(flag) > 1:
            for letter in flag[1:]:
                if letter == "w":
                    return True
                if letter in VALUE_SHORT or letter == "=":
                    break
    return False


def _peek_subcommand(args: list[str]) -> str | None:
    try:
        return args[_subcommand_position(args)]
    except CommandRefused:
        return None


def _normalise(arg: str) -> str:
    """Fold lookalikes (full-width letters, unicode dashes) so '－－ｔｏｋｅｎ' reads '--token'."""
    folded = unicodedata.normalize("NFKC", arg)
    return "".join("-" if c in DASHES else c for c in folded)


def _refuse_invisible(text: str) -> None:
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\r":
            raise CommandRefused("한 번에 한 줄, 한 명령만 실행할 수 있습니다.")
        if category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") and char != "\t":
            raise CommandRefused("보이지 않는 제어 문자가 들어 있습니다. 명령을 다시 입력하세요.")


def _refuse_shell_syntax(text: str) -> None:
    """Walk the text as a POSIX shell would quote it and refuse what a shell would interpret."""
    quote = None
    i = 0
    while i < len(text):
        char = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if quote == "'":
            if char == "'":
                quote = None
        elif char == "\\":
            i += 2  # an escaped character is literal in and out of double quotes
            continue
        elif char == "`" or (char == "$" and (nxt in "({" or nxt.isalpha() or nxt == "_")):
            raise CommandRefused(
                "명령 치환이나 변수($(…), `…`, $변수)는 쓸 수 없습니다. 웹 콘솔은 셸이 아니라서 "
                "값을 직접 적어야 합니다."
            )
        elif quote == '"':
            if char == '"':
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "|;&<>()":
            raise CommandRefused(_shell_message(char, nxt))
        i += 1


def _shell_message(char: str, nxt: str) -> str:
    if char == "|":
        return "파이프(|)는 쓸 수 없습니다. 웹 콘솔은 셸 없이 kubectl 명령 하나만 실행합니다. 출력은 -o, -l, --field-selector로 걸러 보세요."
    if char in ";&":
        return "명령을 ';'이나 '&&', '&'로 이어 쓸 수 없습니다. 한 번에 명령 하나씩 실행하세요."
    if char in "<>":
        return "리다이렉션(<, >)은 쓸 수 없습니다. 웹 콘솔에는 파일이 없습니다. YAML은 편집기에서 적용하세요."
    return "괄호는 따옴표 안에서만 쓸 수 있습니다 (예: -l 'app in (web,api)')."


def _check_flag(arg: str, following: str | None, may_watch: bool = False) -> None:
    flag = _normalise(arg)
    if not flag.startswith("-") or flag == "-" or flag == "--":
        return
    if flag.startswith("--"):
        name, _, value = flag[2:].partition("=")
        name = name.casefold()
        if may_watch and name in WATCH_LONG:
            return
        if name in FORBIDDEN_LONG or name.startswith(FORBIDDEN_LONG_PREFIXES):
            raise CommandRefused(FORBIDDEN_LONG.get(name) or _prefix_message(name))
        if "file" in name:
            raise CommandRefused(
                f"--{name} 옵션은 쓸 수 없습니다. 웹 콘솔에는 파일이 없습니다. YAML은 편집기에서 적용하세요."
            )
        if name == "output":
            _check_output(value if "=" in flag else following)
        if name == "raw" and not (value or following or "").startswith("/"):
            raise CommandRefused("--raw에는 '/'로 시작하는 API 경로만 쓸 수 있습니다 (예: --raw /healthz).")
        return
    # A cluster of shorthands: "-it", "-nweb", "-oyaml", "-s=https://…". kubectl reads the
    # letters left to right; the first one that takes a value swallows the rest.
    cluster = flag[1:]
    for index, letter in enumerate(cluster):
        if letter == "=":
            return
        if letter in FORBIDDEN_SHORT:
            raise CommandRefused(FORBIDDEN_SHORT[letter])
        if letter == "w" and may_watch:
            continue
        if letter in BOOL_SHORT_FORBIDDEN:
            raise CommandRefused(BOOL_SHORT_FORBIDDEN[letter])
        if letter in VALUE_SHORT:
            if letter == "o":
                rest = cluster[index + 1 :].lstrip("=")
                _check_output(rest or following)
            return


def _check_output(value: str | None) -> None:
    if value and "file" in _normalise(value).casefold():
        raise CommandRefused(OUTPUT_FILE_HINT)


def _prefix_message(name: str) -> str:
    for prefix in FORBIDDEN_LONG_PREFIXES:
        if name.startswith(prefix):
            return FORBIDDEN_LONG[prefix.rstrip("-_")]
    return "이 옵션은 웹 콘솔에서 쓸 수 없습니다."


def _check_subcommand(args: list[str]) -> None:
    position = _subcommand_position(args)
    word = args[position]
    name = _normalise(word).casefold()
    if name in FORBIDDEN_SUBCOMMANDS:
        raise CommandRefused(FORBIDDEN_SUBCOMMANDS[name])
    if word not in ALLOWED:
        raise CommandRefused(
            f"'{word}'은(는) 웹 콘솔에서 쓸 수 있는 kubectl 명령이 아닙니다. 쓸 수 있는 명령: "
            + ", ".join(sorted(ALLOWED))
        )
    if word in NESTED:
        allowed, required = NESTED[word]
        following = args[position + 1] if position + 1 < len(args) else None
        if following is None or following.startswith("-"):
            if required:
                raise CommandRefused(f"kubectl {word} 다음에 {', '.join(sorted(allowed))} 중 하나를 쓰세요.")
            return
        if following not in allowed:
            raise CommandRefused(
                f"kubectl {word} {following}은(는) 웹 콘솔에서 쓸 수 없습니다. "
                f"쓸 수 있는 것: {', '.join(sorted(allowed))}"
            )


def _subcommand_position(args: list[str]) -> int:
    """Only the namespace may come before the command name ("kubectl -n web get pods")."""
    position = 0
    while position < len(args) and args[position].startswith("-"):
        arg = args[position]
        if arg in ("-n", "--namespace"):
            position += 2
        elif arg.startswith(("--namespace=", "-n=")) or (arg.startswith("-n") and len(arg) > 2):
            position += 1
        else:
            raise CommandRefused("옵션은 명령 이름 뒤에 쓰세요. 예: kubectl get pods -o wide")
    if position >= len(args):
        raise CommandRefused("kubectl 다음에 명령을 입력하세요. 예: kubectl get pods")
    return position
