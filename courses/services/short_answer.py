"""How a short answer is compared: the forms a Korean learner types for the same answer
count as the same answer, so authors list meanings, not spellings.

- width, case, spacing, hyphens, dots and slashes: "ＰＯＤ", "Scale-out", "CI/CD" and
  "마이크로 서비스" compare as "pod", "scaleout", "cicd", "마이크로서비스";
- a term with its original in parentheses: "파드(Pod)" matches "파드" and "Pod";
- Hangul transliterations that differ only in spelling: 모놀리틱/모노리식 → 모놀리식;
- a few abbreviations and translations that name the same thing (SYNONYMS), applied to
  the whole answer only, so "MSA" matches 마이크로서비스 but "MSA 장점" matches nothing new.

Leading dashes are kept: they are part of a command-line option, so "rm" is not "--rm".
An em or en dash there counts as "--" (what autocorrect makes of a typed "--").
"""

import re
import unicodedata

IGNORED = re.compile(r"[\s\-‐‑–—_.·・/\\,'\"`]+")
OPTION = re.compile(r"^\s*([-‐‑–—]+)")
PARENS = re.compile(r"\(([^()]*)\)")
SPELLINGS = [
    (re.compile(r"모놀리틱|모노리식|모노리틱|모놀리띡"), "모놀리식"),
    (re.compile(r"쿠베르네테스|쿠버네티즈|쿠베네티스"), "쿠버네티스"),
    (re.compile(r"컨테이나"), "컨테이너"),
]
SYNONYMS = [
    {"마이크로서비스", "마이크로서비스아키텍처", "msa", "microservice", "microservices",
     "microservicearchitecture", "microservicesarchitecture"},
    {"모놀리식", "모놀리식아키텍처", "모놀리스", "monolith", "monolithic", "monolithicarchitecture"},
    {"쿠버네티스", "kubernetes"},
    {"지속적통합", "지속적인통합", "ci", "continuousintegration"},
    {"지속적배포", "지속적인배포", "cd", "continuousdelivery", "continuousdeployment"},
    {"노옵스", "noops"},
    {"스케일아웃", "scaleout", "scalingout", "수평확장", "수평적확장", "수평스케일링", "horizontalscaling",
     "horizontalscaleout"},
    {"스케일업", "scaleup", "scalingup", "수직확장", "수직적확장", "verticalscaling"},
    {"운영체제", "os", "operatingsystem"},
    {"하이퍼바이저", "hypervisor"},
    {"파드", "pod", "pods"},
    {"컨트롤그룹", "cgroup", "cgroups", "controlgroup", "controlgroups"},
    {"선언적", "선언형", "declarative"},
]  # fmt: skip
_GROUP = {form: frozenset(group) for group in SYNONYMS for form in group}


def canonical(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    option = OPTION.match(text)
    dashes = "".join("--" if d in "–—" else "-" for d in option.group(1)) if option else ""
    text = dashes + IGNORED.sub("", text)
    for pattern, spelling in SPELLINGS:
        text = pattern.sub(spelling, text)
    return text


def forms(text: str) -> set[str]:
    """Every canonical form an answer stands for: itself, without its parenthesised
    part, the parenthesised part alone, and the synonyms of each."""
    text = unicodedata.normalize("NFKC", text)
    raw = {text, PARENS.sub("", text), *PARENS.findall(text)}
    found = {canonical(t) for t in raw} - {""}
    return found.union(*(_GROUP.get(f, ()) for f in found))


def matches(given: str, accepted: list[str]) -> bool:
    wanted = set().union(*(forms(a) for a in accepted)) if accepted else set()
    return bool(forms(given) & wanted)
