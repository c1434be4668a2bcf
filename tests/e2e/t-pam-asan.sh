#!/usr/bin/env bash
# t-pam-asan.sh: t-pam.sh with the ASan+UBSan module and harness.
PAM_ASAN=1 exec bash "$(dirname "$0")/t-pam.sh"
