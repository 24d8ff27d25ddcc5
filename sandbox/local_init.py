"""The first process of a local command: set limits and a private view of the host's files,
then signal "ready" and run the command (everything before the signal is outside the timing).

With file isolation (`Isolation`, root with mount namespaces), the init shell, still holding
all capabilities, builds a private root:

    overlay(lower = /, upper = runs/N/u0)        every write lands in the upper dir
      + an overlay per other writable mount      (read-only bind where overlay is refused)
      + fresh /proc, read-only /sys, /dev with a per-command /dev/shm
      + binds of the command's scratch (its outputs reach the host) and, with keep_writes,
        of the real work tree (setup steps whose edits persist)

then runs `chroot ROOT env -C WORKDIR setpriv <no capabilities> bash PRELUDE`: the prelude
writes `r` on fd 3, closes it and execs the command. When the command exits, the init writes
`e` on its own fd 3. Without capabilities the command can neither undo the mounts nor reach
the init's descriptors (/proc/1/fd needs CAP_SYS_PTRACE against a more privileged process),
so `r` and `e` bracket the command itself. The host lists the upper dirs afterwards: they
hold exactly what the command wrote, and are then deleted. Without isolation the init only
sets limits; the host then trusts `r` but takes the end from the process exit.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

INIT_FAILED = 125
"""Exit status of the init shell when it cannot set up a limit (the command never ran)."""
INIT_TAG = "perfagent-sandbox-init:"
READY, ENDED = b"r", b"e"
_SKIP_UNDER = ("/proc", "/sys", "/dev")
_ENGINE_MOUNTS = ("/var/lib/docker", "/run/docker", "/var/lib/containerd", "/run/containerd")
"""Container engines' own mounts (one per running container): never needed by a command."""
_PSEUDO = frozenset(
    [
        "proc",
        "sysfs",
        "cgroup",
        "cgroup2",
        "nsfs",
        "debugfs",
        "tracefs",
        "securityfs",
        "bpf",
        "binfmt_misc",
        "autofs",
        "configfs",
        "fusectl",
        "pstore",
        "mqueue",
        "hugetlbfs",
        "devpts",
        "devtmpfs",
        "efivarfs",
        "rpc_pipefs",
        "selinuxfs",
    ]
)
_OVERLAY_FS = frozenset(
    [
        "ext2",
        "ext3",
        "ext4",
        "xfs",
        "btrfs",
        "tmpfs",
        "f2fs",
        "zfs",
        "vfat",
        "exfat",
        "ramfs",
        "overlay",
        "jfs",
        "nfs",
        "nfs4",
    ]
)


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    read_only: bool


def host_mounts() -> list[Mount]:
    """The mount points of our mount namespace, parents first."""
    found: dict[str, Mount] = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 6 or not tail:
            continue
        point = _unescape(fields[4])
        found[point] = Mount(point, tail[0], "ro" in fields[5].split(","))
    return sorted(found.values(), key=lambda m: (m.point.count("/"), m.point))


def _unescape(text: str) -> str:
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(code, char)
    return text


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r + "/") for r in roots)


@dataclass
class Isolation:
    """The private file view of one command (see the module docstring)."""

    run_dir: Path
    setpriv: str
    binds: list[str]
    """Host paths bound read-write at the same place (scratch, peak-RSS file, kept tree)."""
    shm: Path
    layers: list[tuple[str, Path]] = field(default_factory=list)
    """(mount point, upper dir) of every overlay, for listing what the command wrote."""

    @property
    def root(self) -> Path:
        return self.run_dir / "root"

    def mount_lines(self, mounts: list[Mount]) -> list[str]:
        """Shell lines building the private root (fatal where the view would be incomplete)."""
        root = self.root
        root.mkdir(exist_ok=True)
        self.shm.mkdir(exist_ok=True)
        lines = ['mount --make-rprivate / || fail "cannot make mounts private"']
        lines.append(self._overlay("/", 0, fatal=True))
        for i, m in enumerate(mounts, start=1):
            if m.point == "/" or _under(m.point, _SKIP_UNDER + _ENGINE_MOUNTS):
                continue
            if m.fstype in _PSEUDO or any(c in m.point for c in ",:\\\n"):
                continue
            if m.fstype in _OVERLAY_FS and not m.read_only:
                lines.append(self._overlay(m.point, i, fatal=False))
            else:
                q = shlex.quote(str(root) + m.point)
                lines.append(f"mount --bind {shlex.quote(m.point)} {q} 2>/dev/null && "
                             f"mount -o remount,bind,ro {q} 2>/dev/null")  # fmt: skip
        q = shlex.quote(str(root))
        lines += [
            f'mount -t proc -o nosuid,nodev,noexec proc {q}/proc || fail "cannot mount /proc"',
            f"mount -t sysfs -o ro,nosuid,nodev,noexec sysfs {q}/sys 2>/dev/null",
            f'mount --rbind /dev {q}/dev || fail "cannot bind /dev"',
            f"mount --bind {shlex.quote(str(self.shm))} {q}/dev/shm 2>/dev/null",
        ]
        for path in self.binds:
            p = shlex.quote(path)
            lines.append(f'mount --bind {p} {q}{p} || fail "cannot bind {path}"')
        return lines

    def _overlay(self, point: str, i: int, *, fatal: bool) -> str:
        upper, work = self.run_dir / f"u{i}", self.run_dir / f"w{i}"
        upper.mkdir(exist_ok=True)  # emptied after each use; the kernel resets `work`
        work.mkdir(exist_ok=True)
        self.layers.append((point, upper))
        target = shlex.quote(str(self.root) + (point if point != "/" else ""))
        opts = shlex.quote(f"lowerdir={point},upperdir={upper},workdir={work}")
        line = f"mount -t overlay perfagent -o {opts} {target}"
        if fatal:
            return f'{line} || fail "cannot mount an overlay over {point}"'
        undo = f"{{ mount --bind {shlex.quote(point)} {target} && mount -o remount,bind,ro {target}; }}"
        return f"{line} 2>/dev/null || {undo} 2>/dev/null"


@dataclass
class InitPlan:
    workdir: str
    ulimits: list[str]
    cgroup_procs: Path | None = None
    isolate_net: bool = False
    pid_ns: bool = False
    rss_file: Path | None = None
    gnu_time: str | None = None
    isolation: Isolation | None = None
    mounts: list[Mount] = field(default_factory=list)

    def script(self) -> str:
        lines = ['fail() { printf "%s %s\\n" "' + INIT_TAG + '" "$1" >&2; exit 125; }']
        if self.cgroup_procs is not None:
            procs = shlex.quote(str(self.cgroup_procs))
            lines.append(f'echo 0 > {procs} 2>/dev/null || fail "cannot join cgroup"')
        lines += [f'{u} 2>/dev/null || fail "cannot set {u}"' for u in self.ulimits]
        if self.isolate_net:
            lines.append("command -v ip >/dev/null && ip link set lo up >/dev/null 2>&1")
        run = 'bash -c "$1"'
        if self.rss_file is not None and self.gnu_time:
            run = (
                f"{shlex.quote(self.gnu_time)} -q -f %M -o {shlex.quote(str(self.rss_file))} {run}"
            )
        prelude = shlex.quote(f"printf 'r%s\\n' \"$EPOCHREALTIME\" >&3; exec 3>&-; exec {run}")
        wd = shlex.quote(self.workdir)
        if self.isolation is None:
            lines.append(f'cd {wd} || fail "no work dir"')
            lines.append(f'bash -c {prelude} perfagent-sandbox "$1"; rc=$?')
        else:
            iso = self.isolation
            lines += iso.mount_lines(self.mounts)
            drop = "--inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs"
            root = shlex.quote(str(iso.root))
            lines.append(
                f"chroot {root} env -C {wd} {shlex.quote(iso.setpriv)} {drop} -- "
                f'bash -c {prelude} perfagent-sandbox "$1"; rc=$?'
            )
        lines.append("printf 'e%s\\n' \"$EPOCHREALTIME\" >&3 2>/dev/null; exit $rc")
        return "\n".join(lines)
