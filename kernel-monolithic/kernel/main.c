/* main.c: the kernel's C entry point: bring up each subsystem in dependency order, then start init. */
#include "defs.h"
#include "proc.h"
#include "buf.h"
#include "fs.h"
#include "ext2host.h"
#include "module.h"

#define VERSION "0.1"

static void banner(void) {
  printk("kernel-monolithic %s: booting (loader: %s, cmdline: \"%s\")\n", VERSION, boot_loader(),
         boot_cmdline());
  printk("mem: %u MiB RAM mapped at %p, %u KiB free\n", boot_ramtop() >> 20, (void *)KERNBASE,
         kfreecount() * (PGSIZE / 1024));
  for (int i = 0; i < boot_nmods(); i++) {
    const char *name;
    uint32_t start, end;
    boot_module(i, &name, &start, &end);
    printk("module %d: %s at %x, %u bytes\n", i, name, start, end - start);
  }
}

/* Mounts the root file system named by "root=/dev/hdXN" (default /dev/hda1) if there is one. */
static void mountroot(void) {
  char root[32] = "/dev/hda1";
  bool asked = cmdline_get("root", root, sizeof(root));
  uint32_t sectors;
  if (strncmp(root, "/dev/hd", 7) != 0 || root[7] < 'a' || root[7] > 'b' || root[8] < '0' || root[8] > '4') {
    printk("root=%s: expected /dev/hd[ab][0-4]\n", root);
    return;
  }
  if (!ata_present(root[7] - 'a', &sectors)) {
    if (asked)
      printk("root=%s: no such disk\n", root);
    return;
  }
  int err = ext2_mount(DEV(root[7] - 'a', root[8] - '0'));
  if (err < 0)
    printk("root=%s: cannot mount (error %d)\n", root, -err);
  else
    journal_crash_hook();
}

/* Called by entry.S on the boot page directory and stack, interrupts off. */
void kmain(uint32_t magic, struct multiboot_info *mbi) {
  gdtinit();          /* our own segments and the TSS */
  idtinit();          /* exceptions now panic with a register dump instead of triple-faulting */
  picinit();          /* remap IRQs away from the exception vectors, all masked */
  consoleinit();      /* COM1 + VGA: printk works from here on */
  bootinfo_init(magic, mbi);   /* copy the multiboot data while it is still in reach */
  console_debugcon(cmdline_has("debugcon"));
  kvminit();          /* direct map of all RAM */
  kinit();            /* free pages: everything above the kernel and the modules */
  banner();
  if (cmdline_has("crashtest"))   /* demonstrates (and tests) a kernel fault -> panic */
    *(volatile uint32_t *)0x1000 = 0xDEAD;   /* user half, unmapped in kpgdir */
  nofpu_init();       /* no x87: CR0.EM, so FPU code gets SIGFPE instead of wrong results */
  pitinit();          /* 100 Hz tick */
  rtcinit();          /* wall-clock time, for file times */
  binit();            /* buffer cache */
  ata_init();         /* disks on the primary ATA channel */
  part_scan(0);       /* partition tables, read by polling (no process to sleep yet) */
  part_scan(1);
  mountroot();
  memdev_init();      /* /dev/null, /dev/zero, /dev/urandom */
  load_boot_modules();   /* multiboot modules named *.ko */
  fpuinit();          /* the x87, switched per process (fpu.c) */
  userinit();         /* the first process: exec init from a multiboot module */
  scheduler();        /* turns interrupts on when idle; never returns */
}
