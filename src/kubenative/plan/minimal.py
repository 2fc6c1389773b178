"""The `minimal` runtime: the release on an empty (scratch) image with only what it needs.

A `rootfs` stage, on the slim runtime image, holds the release and walks `ldd` over every ELF
file in it (ERTS binaries, NIFs) to collect the shared libraries and the dynamic loader it links
against; it adds busybox for the release scripts, CA certificates, the user and the
name-service files, all under `/rootfs`. The `runtime` stage copies `/rootfs` onto `scratch`.
Pure: builds Stage objects, like the rest of ``kubenative.plan``.
"""

from __future__ import annotations

from kubenative.plan.model import APP_DIR, Instruction, Stage
from kubenative.plan.os import install, revision

# What the scripts of an Elixir release call: bin/<release>, releases/*/{env.sh,elixir,iex} and
# erts-*/bin/erl (readlink, dirname, cut, sed, cat, grep, date, mkdir, dd, od, awk, basename),
# plus a few tools to look around in a running container. All are links to one busybox.
APPLETS = (
    "awk",
    "basename",
    "cat",
    "chmod",
    "cp",
    "cut",
    "date",
    "dd",
    "dirname",
    "du",
    "echo",
    "env",
    "find",
    "grep",
    "head",
    "hostname",
    "id",
    "kill",
    "ln",
    "ls",
    "mkdir",
    "mv",
    "od",
    "printf",
    "ps",
    "pwd",
    "readlink",
    "rm",
    "sed",
    "sh",
    "sleep",
    "sort",
    "tail",
    "test",
    "touch",
    "tr",
    "uname",
    "wc",
)


# Runs in the rootfs stage (POSIX sh, the slim image's tools); @NAME@ are filled in by ``script``.
COLLECT = r"""set -eu
mkdir -p /rootfs/bin /rootfs/usr/bin /rootfs/etc/ssl/certs
# glibc before 2.34 loads its name-service modules at run time, where ldd cannot see them
# (newer ones keep 14 kB stubs): ship them, and walk them like the release
ls /lib/*-linux-gnu/libnss_files.so.2 /lib/*-linux-gnu/libnss_dns.so.2 >/tmp/nss 2>/dev/null || :
# The shared libraries and the loader of every dynamic ELF file in the release (and busybox),
# resolved transitively by ldd and copied to the path ldd names, symlinks resolved.
{ find /app /bin/busybox -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \)
  cat /tmp/nss; } | sort | while read -r file; do
  out=$(ldd "$file" 2>/dev/null) || continue  # a script or a static binary
  if echo "$out" | grep -q 'not found'; then
    echo "minimal runtime: $file needs a library the runtime packages lack:" >&2
    echo "$out" | grep 'not found' >&2
    exit 1
  fi
  echo "$out" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done > /tmp/libraries
sort -u /tmp/libraries /tmp/nss | while read -r library; do cp -L --parents "$library" /rootfs; done
# A shell and the few tools the release scripts call. Debian's dynamic busybox is 0.8 MB
# against 2 MB for busybox-static, and the libc it links is in the image for ERTS anyway.
cp /bin/busybox /rootfs/bin/busybox
for applet in @APPLETS@; do ln -s busybox "/rootfs/bin/${applet}"; done
ln -s ../../bin/busybox /rootfs/usr/bin/env
# glibc reads C.UTF-8 from files (it is not built in): without them ERTS falls back to latin1
cp -a --parents /usr/lib/locale/C.utf8 /rootfs
cp -L /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:@UID@:@UID@::/app:/bin/sh\n' > /rootfs/etc/passwd
printf 'root:x:0:\napp:x:@UID@:\n' > /rootfs/etc/group
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > /rootfs/etc/nsswitch.conf
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' > /rootfs/etc/hosts
install -d -m 1777 /rootfs/tmp
install -d -o @UID@ -g @UID@ /rootfs/app
"""


def script(user_id: int) -> str:
    """The collection script with the applets and the uid filled in."""
    return COLLECT.replace("@APPLETS@", " ".join(APPLETS)).replace("@UID@", str(user_id))


def stages(
    release: str,
    packages: tuple[str, ...],
    env: Instruction,
    expose: tuple[Instruction, ...],
    user_id: int,
    start: tuple[Instruction, ...],
) -> tuple[Stage, Stage]:
    """The `rootfs` stage that collects the files and the `runtime` stage that ships them."""
    app = APP_DIR
    owner = f"{user_id}:{user_id}"
    rootfs = Stage(
        "rootfs",
        "${RUNTIME_IMAGE}",
        "Everything the release needs at run time, collected into /rootfs",
        (
            Instruction(
                "RUN",
                install("debian", [*packages, "busybox"]),
                comment="The runtime libraries, and busybox for the release scripts",
            ),
            Instruction("COPY", (f"{app}/_build/prod/rel/{release}", app), ("--from=releaser",)),
            Instruction(
                "RUN",
                (script(user_id),),
                script=True,
                comment="Libraries found by ldd over every ELF file in the release, "
                "busybox, CA certificates, the user",
            ),
        ),
    )
    runtime = Stage(
        "runtime",
        "scratch",
        "The release and only what it needs, as a non-root user",
        (
            Instruction("COPY", ("/rootfs", "/"), ("--from=rootfs",)),
            Instruction("WORKDIR", (app,)),
            Instruction("ENV", (*env.args, "PATH=/usr/bin:/bin"), comment=env.comment),
            Instruction(
                "COPY",
                (f"{app}/_build/prod/rel/{release}", "./"),
                ("--from=releaser", f"--chown={owner}"),
            ),
            Instruction("USER", (owner,)),
            *expose,
            *start,
            *revision(),
        ),
    )
    return rootfs, runtime
