#!/usr/bin/env bash
# Installs what building HiGHS from source needs and a fresh Debian machine lacks:
# cmake (HiGHS's build) and libclang (bindgen, which generates highs-sys's bindings).
# Idempotent and quiet when everything is there already.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
# bindgen needs libclang itself; libclang-cpp (which LLVM's tools pull in) does not do.
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/llvm-*/lib/libclang-[0-9]*.so* >/dev/null 2>&1 &&
   ! ldconfig -p 2>/dev/null | grep -Eq 'libclang(-[0-9.]+)?\.so'; then
  missing+=(libclang-dev)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
