/* defs.h: prototypes of every kernel subsystem, grouped under the file that defines them. */
#pragma once
#include "types.h"
#include "mmu.h"
#include "uapi/errno.h"

struct trapframe;
struct proc;
struct file;
struct context;
struct multiboot_info;

/* ---- arch/i386/gdt.c ---- */
void gdtinit(void);
void tss_set_kstack(uint32_t esp0);
struct segdesc;
void gdt_set_tls(const struct segdesc *tls);
/* ---- kernel/tls.c, kernel/random.c (the Linux i386 ABI for glibc) ---- */
struct proc;
int tls_set(struct proc *p, uaddr_t uinfo);
void tls_clear(struct proc *p);
void random_bytes(void *dst, uint32_t n);
int proc_pgid(struct proc *p);
int proc_sid(struct proc *p);
int console_pending(void);
int tty_fg_pgrp(void);
uint32_t tty_lflag(void);
uint32_t tty_iflag(void);
int tty_isig_signal(int c);
void tty_signal(int sig);
int tty_check_read(void);
void memdev_init(void);
void nofpu_init(void);
struct pipe;
int pipe_poll(struct pipe *p, bool writeend);

/* ---- arch/i386/idt.c ---- */
void idtinit(void);

/* ---- arch/i386/swtch.S ---- */
void swtch(struct context **old, struct context *new);

/* ---- drivers/uart.c ---- */
bool uartinit(void);
void uartputc(int c);
void uartintr(void);

/* ---- drivers/vga.c ---- */
void vgainit(void);
void vgaputc(int c);

/* ---- drivers/console.c ---- */
void consoleinit(void);
void consputc(int c);
void console_debugcon(bool on);
void consoleintr(int (*getc)(void));
int consoleread(uaddr_t dst, int n);
int consolewrite(uaddr_t src, int n);

/* ---- drivers/ata.c ---- */
struct buf;
void ata_init(void);
bool ata_present(int disk, uint32_t *sectors);
int ata_rw(struct buf *b);
void ataintr(void);

/* ---- drivers/rtc.c ---- */
void rtcinit(void);
uint32_t boot_time(void);

/* ---- drivers/pic.c ---- */
void picinit(void);
void picenable(int irq);
void piceoi(int irq);
bool picspurious(int irq);

/* ---- drivers/pit.c ---- */
void pitinit(void);

/* ---- kernel/power.c ---- */
void poweroff(int status) __attribute__((noreturn));

/* ---- kernel/printk.c ---- */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
int snprintk(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintk(char *buf, int size, const char *fmt, va_list ap);

/* ---- kernel/panic.c ---- */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(struct trapframe *tf, const char *reason) __attribute__((noreturn));
void backtrace(uint32_t ebp);

/* ---- libkern/string.c (shared with the other kernels) ---- */
#include "libkern/string.h"

/* ---- kernel/bootinfo.c ---- */
void bootinfo_init(uint32_t magic, struct multiboot_info *mbi);
const char *boot_cmdline(void);
const char *boot_loader(void);
bool cmdline_has(const char *word);
bool cmdline_get(const char *key, char *buf, int size);
int boot_nmods(void);
void boot_module(int i, const char **name, uint32_t *start, uint32_t *end);
uint32_t boot_reserved_end(void);
uint32_t boot_ramtop(void);
int boot_mmap_count(void);
void boot_mmap_entry(int i, uint64_t *base, uint64_t *len, uint32_t *type);

/* ---- kernel/timer.c ---- */
struct timer_list {
  uint32_t expires;                 /* the value of ticks at which fn runs */
  void (*fn)(struct timer_list *);
  struct timer_list *next;
};
void add_timer(struct timer_list *t);
int del_timer(struct timer_list *t);
void run_timers(void);

/* ---- kernel/trap.c ---- */
void trap(struct trapframe *tf);
extern uint32_t ticks;
extern uint32_t irq_count[16], syscall_count;

/* ---- kernel/syscall.c ---- */
void syscall(struct trapframe *tf);

/* ---- kernel/proc.c ---- */
void userinit(void);
// fpu.c
void fpuinit(void);
void fpu_initstate(struct proc *p);
void fpu_save(struct proc *p);
void fpu_restore(struct proc *p);
void fpu_fork(struct proc *child);
void fpu_exec(void);
void fpu_clear_exceptions(void);
struct proc *allocproc(void);
int fork(void);
void exit(int wstatus) __attribute__((noreturn));
int waitpid(int pid, uaddr_t ustatus, int options);
int kill(int pid, int sig);
void sleep(void *chan);
bool can_sleep(void);
void wakeup(void *chan);
int growproc(uaddr_t newbrk);
void procdump(void);
void alarm_tick(void);
void signal_all(int sig);

/* ---- kernel/sched.c ---- */
void scheduler(void) __attribute__((noreturn));
void sched(void);
void yield(void);
void forkret(void);

/* ---- kernel/signal.c ---- */
bool signal_pending(struct proc *p);
int send_signal(struct proc *p, int sig);
bool signal_would_stop(struct proc *p, int sig);
bool pgrp_orphaned(int pgrp);
void force_signal(struct proc *p, int sig);
void signals_fork(struct proc *child, struct proc *parent);
void signals_exec(struct proc *p);
void do_signals(struct trapframe *tf);

/* ---- kernel/exec.c ---- */
int exec(const char *path, char *const argv[], char *const envp[]);

/* ---- mm/kalloc.c ---- */
void kinit(void);
void *kalloc(void);
void *kallocn(int npages);
void kfreepage(void *p);
void kfreepages(void *p, int npages);
uint32_t kfreecount(void);
void page_get(void *p);
int page_refs(void *p);
void page_put(void *p);

/* ---- mm/kheap.c ---- */
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);

/* ---- mm/vm.c ---- */
void kvminit(void);
void switchkvm(void);
void switchuvm(struct proc *p);
pde_t *setupkvm(void);
pte_t *walkpgdir(pde_t *pgdir, uaddr_t va, bool alloc);
int mappages(pde_t *pgdir, uaddr_t va, uint32_t size, uint32_t pa, int perm);
int allocuvm(pde_t *pgdir, uaddr_t start, uaddr_t end, int perm);
void deallocuvm(pde_t *pgdir, uaddr_t start, uaddr_t end);
void freevm(pde_t *pgdir);
pde_t *copyuvm(pde_t *pgdir);
int cow_fault(pde_t *pgdir, uaddr_t va);
uint32_t modarea_map(uint32_t pa, int npages);
void modarea_protect(uint32_t va, int npages);
void modarea_unmap(uint32_t va, int npages);
extern pde_t *kpgdir;

/* ---- mm/uaccess.c ---- */
int copyout(pde_t *pgdir, uaddr_t dst, const void *src, uint32_t n);
int copyin(pde_t *pgdir, void *dst, uaddr_t src, uint32_t n);
int copyinstr(pde_t *pgdir, char *dst, uaddr_t src, uint32_t max);
int put_user32(uaddr_t dst, uint32_t v);
int get_user32(uint32_t *dst, uaddr_t src);
bool uaccess_ok(uaddr_t va, uint32_t n);

/* ---- fs/file.c ---- */
struct file *filealloc(void);
struct file *filedup(struct file *f);
void fileclose(struct file *f);
int fileread(struct file *f, uaddr_t dst, int n);
int filewrite(struct file *f, uaddr_t src, int n);
struct file *console_file(void);

/* ---- fs/pipe.c ---- */
struct pipe;
int pipealloc(struct file **rf, struct file **wf);
void pipeclose(struct pipe *p, bool writeend);
int piperead(struct pipe *p, uaddr_t dst, int n);
int pipewrite(struct pipe *p, uaddr_t src, int n);

/* ---- fs/bio.c ---- */
void binit(void);
struct buf *bread(uint32_t dev, uint32_t blockno);
int bwrite(struct buf *b);
void brelse(struct buf *b);

/* ---- fs/mbr.c ---- */
int part_lookup(uint32_t dev, uint32_t *start, uint32_t *nsectors);
void part_scan(int disk);

/* ---- fs/procfs.c ---- */
int procfs_open(const char *name, struct file **fp);

/* ---- fs/devtab.c: the name table shared by character and block devices ---- */
struct devslot {
  char name[16];
  const void *ops;   /* the driver's chrdev_ops or blkdev_ops; 0 = free slot */
  int opens;         /* open files on the device */
};
int devtab_find(struct devslot *t, int n, const char *name);
int devtab_add(struct devslot *t, int n, const char *name, const void *ops);
int devtab_busy(const struct devslot *t, int n, uint32_t lo, uint32_t hi);
int devtab_open(struct devslot *t, int n, const char *path, int flags, int type, struct file **fp);

/* ---- fs/chrdev.c: character devices /dev/<name> ---- */
struct chrdev_ops {
  int (*read)(char *buf, int n, uint32_t off);         /* bytes read into buf, 0 at the end, or -errno */
  int (*write)(const char *buf, int n, uint32_t off);  /* bytes taken, or -errno */
};
int register_chrdev(const char *name, const struct chrdev_ops *ops);
void unregister_chrdev(const char *name);
int chrdev_busy(uint32_t lo, uint32_t hi);
int chrdev_open(const char *path, int flags, struct file **fp);
void chrdev_close(struct file *f);
int chrdev_read(struct file *f, uaddr_t dst, int n);
int chrdev_write(struct file *f, uaddr_t src, int n);

/* ---- fs/blkdev.c: block devices /dev/<name> (RAM disks) ---- */
struct buf;
struct blkdev_ops {
  int (*transfer)(uint32_t blockno, void *data, bool write);   /* one BSIZE block; 0 or -errno */
};
int register_blkdev(const char *name, const struct blkdev_ops *ops, uint32_t nblocks);
void unregister_blkdev(const char *name);
bool blkdev_is(uint32_t dev);
int blkdev_size(uint32_t dev, uint32_t *nsectors);
int blkdev_rw(struct buf *b);
int blkdev_busy(uint32_t lo, uint32_t hi);
int blkdev_open(const char *path, int flags, struct file **fp);
void blkdev_close(struct file *f);
int blkdev_io(struct file *f, uaddr_t ubuf, int n, bool write);
void binval(uint32_t dev);

/* ---- fs/procfs.c: entries registered by modules ---- */
int proc_create(const char *name, int (*show)(char *buf, int size));
void proc_remove(const char *name);
int procfs_read(struct file *f, uaddr_t dst, int n);
bool procfs_next(const char *dir, uint32_t *pos, char *name, bool *isdir);
int procfs_stat(const char *name, bool *isdir);

/* ---- fs/bootfs.c ---- */
int bootfs_lookup(const char *path, const uint8_t **data, uint32_t *size);

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
