"""The BEAM's JIT when a target platform is built under emulation.

A multi-platform build runs each target's stages on the build machine: a target of another
architecture runs under emulation (QEMU through binfmt_misc). The BEAM's JIT maps the code it
generates twice, a writable and an executable view of the same pages, and QEMU's user mode does
not see writes through one mapping in the other: `erl` dies with SIGSEGV or hangs (measured on
Debian's OTP 25 for arm64 under qemu-user-static 7.2: every `erl` start crashed). Mapping the
code once fixes it, and the flag for that depends on the OTP release:

- OTP 26 and later: ``+JMsingle true`` (single-mapped RWX memory; the flag is new in 26.0);
- OTP 25: no ``+JMsingle`` (`erl` stops with a usage error); before OTP 26 a single mapping came
  with perf support (erlang/otp#6340 decoupled them), and ``+JPperf map`` gives it while writing
  only /tmp/perf-<pid>.map (~2 MB per BEAM start; ``+JPperf true`` adds a 15 MB jit dump);
- OTP 24: JIT on x86-64 only (arm64 runs the interpreter, which needs nothing, and would refuse
  a JIT flag); ``+JPperf map`` is not known there, ``+JPperf true`` is;
- OTP 23 and earlier: no JIT.

The flag is written, under emulation only, into a file that ``ERL_FLAGS`` names with
``-args_file``: a native build reads an empty file and keeps the default double mapping (W^X),
and a target whose OTP has no JIT for its architecture gets nothing. Only the build stages carry
``ERL_FLAGS``: the runtime stage starts from the runtime image (or scratch), never from them.
"""

from __future__ import annotations

from kubenative.catalog.versions import major
from kubenative.plan.model import Instruction

ARGS_FILE = "/etc/erl-emulation.args"
# OTP major → (flag, architectures whose OTP has a JIT), newest first
_JIT = (
    (26, "+JMsingle true", ("amd64", "arm64")),
    (25, "+JPperf map", ("amd64", "arm64")),
    (24, "+JPperf true", ("amd64",)),
)


def jit_flag(otp: str) -> tuple[str, tuple[str, ...]] | None:
    """The flag that makes OTP ``otp``'s JIT map its code once, and the architectures it has a
    JIT for; None when that OTP has no JIT or its version is unknown."""
    otp_major = major(otp)
    if otp_major is None:
        return None
    for since, flag, arches in _JIT:
        if otp_major >= since:
            return flag, arches
    return None


def emulation_steps(otp: str) -> tuple[Instruction, ...]:
    """The builder's steps that give the BEAM its flag when the target platform is emulated
    (``TARGETPLATFORM`` is not ``BUILDPLATFORM``) and the target's OTP has a JIT."""
    found = jit_flag(otp)
    if found is None:
        return ()
    flag, arches = found
    targets = "|".join(f"linux/{arch}*" for arch in arches)
    return (
        Instruction(
            "ARG",
            ("BUILDPLATFORM", "TARGETPLATFORM"),
            comment="Under emulation (another architecture's image built with QEMU) the BEAM's "
            f"JIT crashes\nunless it maps its code once: {flag}. A native build leaves the file "
            "empty, and the\nruntime image carries neither the file nor ERL_FLAGS",
        ),
        Instruction(
            "RUN",
            (
                f'case "$TARGETPLATFORM" in "$BUILDPLATFORM") ;; {targets}) echo "{flag}" ;; esac '
                f"> {ARGS_FILE}",
            ),
        ),
        Instruction("ENV", (f'ERL_FLAGS="-args_file {ARGS_FILE}"',)),
    )


def emulation_warnings(otp: str, platforms: tuple[str, ...]) -> list[str]:
    """A target whose JIT kubenative cannot tame: the OTP version is unknown."""
    if platforms and major(otp) is None:
        return [
            "the builder image's OTP version is unknown, so the Dockerfile sets no JIT flag for "
            "emulated builds: building a platform other than the build machine's may crash "
            "the BEAM under QEMU; give --otp VERSION"
        ]
    return []
