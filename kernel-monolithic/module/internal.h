/* internal.h: the module loader's structures: a loaded module and the state of one load. */
#pragma once
#include "defs.h"
#include "libkern/elf.h"
#include "module.h"

#define MODULE_NAME_LEN 56
#define MAXUSES 8
#define MAXPARAMS 8

enum module_state { MODULE_COMING, MODULE_LIVE, MODULE_GOING };

struct module {
  char name[MODULE_NAME_LEN];
  enum module_state state;
  char *base;                       /* in the module area: text, rodata, data, bss (page-aligned parts) */
  char *pages;                      /* the same pages in the direct map (kallocn'd) */
  int npages;
  uint32_t textsize;                /* bytes of executable code from base */
  uint32_t rosize;                  /* bytes of text and read-only data from base (page-aligned) */
  int (*init)(void);
  void (*exit)(void);
  const struct kernel_symbol *syms; /* what it exports (its __ksymtab) */
  int nsyms;
  struct module *uses[MAXUSES];     /* modules whose symbols it uses: each pinned by refcnt */
  int nuses;
  int refcnt;                       /* modules that use this one */
  char *strings[MAXPARAMS];         /* charp parameter values, freed with the module */
  int nstrings;
  struct module *next;
};

/* One load in progress (Linux's struct load_info). */
struct load_info {
  const uint8_t *img;
  uint32_t len;
  const struct elfhdr *eh;
  const struct secthdr *sh;         /* section headers */
  const char *secstrings;
  uint32_t *secaddr;                /* where each section was loaded, 0 if not */
  uint32_t *symval;                 /* resolved value of each symbol table entry */
  int symsec;                       /* the SHT_SYMTAB section */
  const char *name, *vermagic, *license, *depends;
};

/* module/main.c */
extern struct module *modules;
struct module *find_module(const char *name);

/* module/modinfo.c */
int check_modinfo(struct load_info *info);
int check_depends(struct load_info *info);

/* module/symbols.c */
uint32_t find_symbol(const char *name, struct module **owner);
int simplify_symbols(struct load_info *info, struct module *mod);

/* module/params.c */
int parse_args(struct module *mod, const struct module_param *params, int n, const char *args);

/* module/relocate_i386.c */
int apply_relocations(struct load_info *info);
