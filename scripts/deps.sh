#!/bin/sh
# Install the Debian packages Kelp needs to build, run and test. Idempotent:
# packages already present are not touched, and apt is only called when
# something is missing.
set -e
PKGS="gcc binutils make python3 python3-kconfiglib python3-pytest python3-pytest-xdist
      libcmocka-dev qemu-system-x86 seabios ipxe-qemu mtools syslinux syslinux-common
      syslinux-utils busybox-static cpio dosfstools xz-utils dpkg
      clang libclang-rt-14-dev isolinux xorriso
      pxelinux tgt grub-pc-bin grub-common python3-matplotlib"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
