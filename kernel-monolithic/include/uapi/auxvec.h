/* auxvec.h: the auxiliary vector keys (Linux's uapi/linux/auxvec.h) and i386 AT_HWCAP bits. */
#pragma once
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31
