/* module.h: what a loadable module sees (Linux's <linux/module.h> in miniature): module_init/exit,
 * MODULE_* metadata in .modinfo, and EXPORT_SYMBOL, used by the kernel and by modules alike. */
#pragma once
#include "types.h"

#define KERNEL_VERMAGIC "0.1-kernel-monolithic i386"
#ifndef VERMAGIC                    /* a test module may claim another (MODCFLAGS_badvermagic) */
#define VERMAGIC KERNEL_VERMAGIC
#endif

/* One exported symbol (Linux before 4.19: absolute pointers). The kernel's live in __ksymtab
 * between __start___ksymtab and __stop___ksymtab; a module's in its own __ksymtab section. */
struct kernel_symbol {
  uint32_t value;
  const char *name;
};

#define EXPORT_SYMBOL(sym)                                                              \
  static const char __kstrtab_##sym[] __attribute__((section("__ksymtab_strings"), used)) = #sym; \
  static const struct kernel_symbol __ksymtab_##sym                                     \
      __attribute__((section("__ksymtab"), used, aligned(4))) = {(uint32_t)&sym, __kstrtab_##sym}

#define __MODULE_INFO(tag, name, info)                                                  \
  static const char __modinfo_##name[] __attribute__((section(".modinfo"), used, aligned(1))) = \
      #tag "=" info
#define MODULE_LICENSE(s)     __MODULE_INFO(license, license, s)
#define MODULE_AUTHOR(s)      __MODULE_INFO(author, author, s)
#define MODULE_DESCRIPTION(s) __MODULE_INFO(description, description, s)
/* Modules this one needs loaded first, comma-separated ("a,b"): the loader refuses without them,
 * and the Makefile turns them into modules.dep for modprobe (Linux's modpost writes depends=). */
#define MODULE_DEPENDS(s)     __MODULE_INFO(depends, depends, s)

/* Module parameters: module_param(var, int) or module_param(var, charp) makes "var=value" in
 * the load's parameter string set var before init_module runs (Linux's __param section). */
enum param_type { PARAM_INT, PARAM_CHARP };
struct module_param {
  const char *name;
  uint32_t type;
  void *ptr;
};
#define PARAM_TYPE_int PARAM_INT
#define PARAM_TYPE_charp PARAM_CHARP
#define module_param(var, type, perm)                                                   \
  static const char __param_name_##var[] = #var;                                        \
  static const struct module_param __param_##var                                        \
      __attribute__((section("__param"), used, aligned(4))) = {__param_name_##var, PARAM_TYPE_##type, &var}

#ifdef KBUILD_MODNAME
/* Linux's modpost generates these into foo.mod.c; our Makefile passes -DKBUILD_MODNAME. */
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
__MODULE_INFO(vermagic, vermagic, VERMAGIC);
__MODULE_INFO(name, name, __stringify(KBUILD_MODNAME));

/* As in Linux, the loader finds a module's entry points by these two names. */
#define module_init(fn) int init_module(void) __attribute__((alias(#fn)))
#define module_exit(fn) void cleanup_module(void) __attribute__((alias(#fn)))
#endif

/* ---- module/main.c ---- */
int load_module(const void *image, uint32_t len, const char *params);
int unload_module(const char *name);
void load_boot_modules(void);
int modules_show(char *buf, int size);
const char *module_at(uint32_t addr, uint32_t *off);
