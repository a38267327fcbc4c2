"""The "billion laughs" alias bomb, shared by every test that feeds hostile YAML somewhere."""


def billion_laughs(levels: int = 9, indent: str = "") -> str:
    """Each anchor repeats the previous one nine times: 9**levels strings if aliases were expanded."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = [f"{indent}a: &a [{','.join(['"lol"'] * 9)}]"]
    lines += [
        f"{indent}{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip(names, names[1:], strict=False)
    ]
    return "\n".join(lines) + "\n"
