/* guest.h: the IDL loopback test guest's helpers (serial output, checks, the loopback transport). */
#ifndef IDL_GUEST_H
#define IDL_GUEST_H

#include <l4/ipc.h>

/* io.c: COM1 output, one line per check ("idl: ok <name>", "idl: FAIL <name> ..."), exit port */
void serial_init(void);
void serial_puts(const char *s);
void check_word(const char *name, l4_word_t got, l4_word_t want);
void check_true(const char *name, int ok);
void info(const char *name, l4_word_t value);           /* "idl: info <name>=<decimal>" */
l4_word_t instructions_now(void);
int check_summary(void);                               /* prints "idl: done", returns 0 or 1 */
_Noreturn void guest_exit(l4_word_t code);
int bytes_equal(const char *a, const char *b, l4_word_t n);

/* loopback.c: l4_call hands the message to loopback_server in the same program */
#define LOOPBACK_CLIENT  0x00001234u   /* the caller id the server sees */
#define LOOPBACK_DEAD    0x0000DEADu   /* l4_call to it fails: error code 2, no partner */
#define LOOPBACK_CORRUPT 0x0000C0DEu   /* the reply to it loses its last untyped word */
#define LOOPBACK_POISON  0xA5A5A5A5u   /* fills the UTCB words a message does not carry */

extern l4_msgtag_t (*loopback_server)(l4_threadid_t from, l4_msgtag_t tag);
extern l4_word_t loopback_calls;                       /* l4_call count */
extern l4_word_t loopback_request[64];                 /* the last request as sent, MR0.. */

/* The server-loop test: l4_reply_wait records the replies and delivers these requests in turn;
 * when they run out it calls loopback_script_done(), which never returns. */
struct loopback_step {
    int fail;                  /* deliver a failed receive (E bit) instead of a message */
    l4_threadid_t from;
    l4_word_t mr[4];           /* MR0 (the tag), MR1.. */
};
struct loopback_reply {
    l4_threadid_t to;
    l4_msgtag_t tag;
    l4_word_t mr1, mr2;
};
void loopback_script(const struct loopback_step *steps, int n);
extern struct loopback_reply loopback_replies[8];
extern int loopback_nreplies;
extern int loopback_waits;                             /* l4_reply_wait calls with reply_to = NIL */
_Noreturn void loopback_script_done(void);

#endif
