/* srv.h: what the servers share: the root task's resource protocol and name-server helpers. */
#pragma once
#include "ulib.h"
#include "idl/names_client.h"

/* A driver asks the root task for its resources (the I/O ports and IRQ the root's policy table
 * gives its name) with an empty Call of this label; the reply comes once they are granted:
 * MR1 = 1 granted, 0 nothing for this task. */
#define ROOT_LABEL_RESOURCES 0x0F01

/* The POSIX personality creates and deletes the threads of its processes through the root task
 * (ThreadControl and ExchangeRegisters on other spaces are privileged):
 *   ROOT_LABEL_CREATE: MR1 new thread id, MR2 space (0: a new space, else a thread whose space it
 *     joins), MR3 pager, MR4 exception handler, MR5 IP, MR6 SP; reply MR1 = 1 started, 0 failed;
 *   ROOT_LABEL_DELETE: MR1 the thread (its space goes with its last thread);
 *   ROOT_LABEL_POWEROFF: MR1 the exit value (any boot task may ask).
 * Only thread numbers from ROOT_FIRST_DYNAMIC up are managed. */
#define ROOT_LABEL_CREATE 0x0F02
#define ROOT_LABEL_DELETE 0x0F03
#define ROOT_LABEL_POWEROFF 0x0F04
#define ROOT_LABEL_WATCH 0x0F05       /* MR1 a boot task's thread: the caller becomes its exception handler */
#define ROOT_FIRST_DYNAMIC 40
/* ROOT_LABEL_CREATE from the restart server carries the task's name in MR7..MR10 (16 bytes), so
 * that the policy grants a restarted driver what the original had. */

static inline int root_resources(void) {
  l4_msgtag_t t = l4_call(l4_kip()->root, l4_mktag(ROOT_LABEL_RESOURCES, 0, 0));
  return l4_ipc_failed(t) ? 0 : (int)L4_MR(1);
}

/* Ends the run with an exit value (KDebug's power-off is for privileged tasks only). */
static inline _Noreturn void root_poweroff(int status) {
  L4_MR(1) = status;
  l4_call(l4_kip()->root, l4_mktag(ROOT_LABEL_POWEROFF, 1, 0));
  exit(status);
}

/* The restart server's own request (besides exception and page-fault IPC): start a driver from
 * an ELF image (insmod on the personality). MR1 image size, MR2..MR5 name, MR6..MR21 parameters,
 * then the image's pages as map items; reply MR1 = the driver's thread number or -errno. */
#define RESTART_LABEL_START 0x6010

static inline l4_threadid_t name_server(void) {
  return boot_task("names");
}

/* Registers the calling thread under name with the name server. */
static inline int register_name(const char *name) {
  return names_add(name_server(), name, strlen(name));
}

/* A relative IPC timeout of at least us microseconds (1 to 2^31): mantissa m (10 bits) and
 * exponent e with m * 2^e >= us. */
static inline l4_word_t timeout_us(uint32_t us) {
  l4_word_t e = 0;
  while (us > 1023) {
    us = (us + 1) >> 1;
    e++;
  }
  return e << 10 | (us ? us : 1);
}

/* Sleeps about 10 ms (a receive from nobody that times out): waiting for a restarted server. */
static inline void nap(void) {
  l4_receive_timeout(L4_NILTHREAD + 1, (4 << 10) | 625, 0);
}

/* The thread registered under name, waiting (yielding) until somebody registers it. */
static inline l4_threadid_t lookup_wait(const char *name) {
  l4_word_t t = 0;
  while (names_lookup(name_server(), name, strlen(name), &t) < 0 || t == 0)
    l4_yield();
  return t;
}
