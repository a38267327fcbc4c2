"""pod_security: whether a pod (template) meets a Pod Security Standards level, checked rule
by rule as the API server's Pod Security admission does, so a submitted file is judged by
the standard itself and not by the few fields a step happens to name.

Baseline: no host namespaces, privileged containers, hostPath volumes or host ports;
capabilities added only from the default set; no Unconfined seccomp or AppArmor; /proc
mounted the default way; only safe sysctls; SELinux type from the allowed set. Restricted
adds: volume types from a short list, allowPrivilegeEscalation false, runAsNonRoot true
(pod, or every container), no runAsUser 0, seccomp RuntimeDefault or Localhost (pod, or
every container), and capabilities that drop ALL and add nothing but NET_BIND_SERVICE.
"""

from .common import find, pod_spec
from .registry import Outcome, check_type, one_of

BASELINE_CAPS = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
                 "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}  # fmt: skip
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes"}  # fmt: skip
SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                      "projected", "secret"}  # fmt: skip
VOLUME_SOURCE_KEYS = {"name"}


def _containers(spec: dict) -> list[dict]:
    found = []
    for key in ("initContainers", "containers", "ephemeralContainers"):
        found += [c for c in spec.get(key) or [] if isinstance(c, dict)]
    return found


def _ctx(holder: dict) -> dict:
    ctx = holder.get("securityContext")
    return ctx if isinstance(ctx, dict) else {}


def _caps(ctx: dict) -> dict:
    caps = ctx.get("capabilities")
    return caps if isinstance(caps, dict) else {}


def _seccomp_type(ctx: dict):
    profile = ctx.get("seccompProfile")
    return profile.get("type") if isinstance(profile, dict) else None


def baseline_violations(spec: dict) -> list[str]:
    problems = []
    pod = _ctx(spec)
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            problems.append(f"{field}: true")
    for vol in spec.get("volumes") or []:
        if isinstance(vol, dict) and "hostPath" in vol:
            problems.append(f"hostPath 볼륨 {vol.get('name')}")
    if _seccomp_type(pod) == "Unconfined":
        problems.append("파드 seccompProfile Unconfined")
    for sysctl in pod.get("sysctls") or []:
        if isinstance(sysctl, dict) and sysctl.get("name") not in SAFE_SYSCTLS:
            problems.append(f"sysctl {sysctl.get('name')}")
    selinux = pod.get("seLinuxOptions") or {}
    if isinstance(selinux, dict) and (
        selinux.get("type", "") not in SELINUX_TYPES or selinux.get("user") or selinux.get("role")
    ):
        problems.append("파드 seLinuxOptions")
    for c in _containers(spec):
        name, ctx = c.get("name"), _ctx(c)
        if ctx.get("privileged"):
            problems.append(f"{name}: privileged: true")
        caps = _caps(ctx)
        extra = [str(a) for a in caps.get("add") or [] if str(a) not in BASELINE_CAPS]
        if extra:
            problems.append(f"{name}: capabilities.add {', '.join(extra)}")
        for port in c.get("ports") or []:
            if isinstance(port, dict) and port.get("hostPort"):
                problems.append(f"{name}: hostPort {port['hostPort']}")
        if _seccomp_type(ctx) == "Unconfined":
            problems.append(f"{name}: seccompProfile Unconfined")
        if ctx.get("procMount") not in (None, "Default"):
            problems.append(f"{name}: procMount {ctx['procMount']}")
        apparmor = ctx.get("appArmorProfile")
        if isinstance(apparmor, dict) and apparmor.get("type") == "Unconfined":
            problems.append(f"{name}: appArmorProfile Unconfined")
        c_selinux = ctx.get("seLinuxOptions") or {}
        if isinstance(c_selinux, dict) and (
            c_selinux.get("type", "") not in SELINUX_TYPES or c_selinux.get("user") or c_selinux.get("role")
        ):
            problems.append(f"{name}: seLinuxOptions")
    return problems


def restricted_violations(spec: dict) -> list[str]:
    problems = baseline_violations(spec)
    pod = _ctx(spec)
    containers = _containers(spec)
    for vol in spec.get("volumes") or []:
        if isinstance(vol, dict):
            kinds = set(vol) - VOLUME_SOURCE_KEYS
            if kinds and not kinds <= RESTRICTED_VOLUMES:
                problems.append(
                    f"볼륨 {vol.get('name')}의 종류 {', '.join(sorted(kinds - RESTRICTED_VOLUMES))}"
                )
    if pod.get("runAsUser") == 0:
        problems.append("파드 runAsUser: 0")
    for c in containers:
        name, ctx = c.get("name"), _ctx(c)
        if ctx.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation이 false가 아님")
        nonroot = ctx.get("runAsNonRoot", pod.get("runAsNonRoot"))
        if nonroot is not True:
            problems.append(f"{name}: runAsNonRoot가 true가 아님")
        if ctx.get("runAsUser") == 0:
            problems.append(f"{name}: runAsUser: 0")
        if (_seccomp_type(ctx) or _seccomp_type(pod)) not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: seccompProfile이 RuntimeDefault나 Localhost가 아님")
        caps = _caps(ctx)
        if "ALL" not in [str(d) for d in caps.get("drop") or []]:
            problems.append(f"{name}: capabilities.drop에 ALL 없음")
        extra = [str(a) for a in caps.get("add") or [] if str(a) != "NET_BIND_SERVICE"]
        if extra:
            problems.append(f"{name}: capabilities.add {', '.join(extra)}")
    return list(dict.fromkeys(problems))


LEVELS = {"baseline": baseline_violations, "restricted": restricted_violations}


@check_type(
    "pod_security",
    required={"kind": "kind", "name": "str"},
    optional={"level": "str", "namespace": "str"},
    description="파드(템플릿)가 파드 시큐리티 표준(level: restricted 기본, baseline)을 규칙마다 통과 (API 서버의"
    " 파드 시큐리티 어드미션과 같은 규칙)",
    validate=one_of("level", tuple(LEVELS), default="restricted"),
)
def pod_security(spec, source):
    obj, failed = find(spec, source)
    if failed:
        return failed
    level = spec.get("level", "restricted")
    problems = LEVELS[level](pod_spec(obj))
    shown = "; ".join(problems[:6]) + (f" 외 {len(problems) - 6}건" if len(problems) > 6 else "")
    return Outcome(not problems, f"{level} 기준", "위반 없음", shown or "위반 없음")
