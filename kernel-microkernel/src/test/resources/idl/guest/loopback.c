/* loopback.c: a test-only implementation of the l4/ipc.h calls the generated code uses. There is
 * no kernel: l4_call copies the request from the client's UTCB into a separate server UTCB
 * (every other word poisoned), calls loopback_server (a generated NAME_dispatch) there, and
 * copies the reply back the same way, so a stub or skeleton that reads a word the message does
 * not carry sees LOOPBACK_POISON. Map items are copied as they are (no mapping happens). */
#include "guest.h"

#define NUM_MRS 64

static l4_word_t client_utcb[NUM_MRS];
static l4_word_t server_utcb[NUM_MRS];
static l4_word_t *current = client_utcb;
static l4_word_t ipc_error;

l4_msgtag_t (*loopback_server)(l4_threadid_t from, l4_msgtag_t tag);
l4_word_t loopback_calls;
l4_word_t loopback_request[NUM_MRS];

l4_word_t *l4_utcb_mr(void)
{
    return current;
}

l4_word_t l4_ipc_error(void)
{
    return ipc_error;
}

/* Copies the message of tag (MR1..MR[u+t]) from src to dst, MR0 = tag, poison elsewhere. */
static void transfer(l4_word_t *dst, const l4_word_t *src, l4_msgtag_t tag)
{
    l4_word_t n = 1 + l4_untyped(tag) + l4_typed(tag);
    for (l4_word_t i = 0; i < NUM_MRS; i++)
        dst[i] = LOOPBACK_POISON;
    dst[0] = tag.raw;
    for (l4_word_t i = 1; i < n && i < NUM_MRS; i++)
        dst[i] = src[i];
}

static l4_msgtag_t failed(l4_word_t code)
{
    l4_msgtag_t t = { 1u << 15 };      /* E bit */
    ipc_error = code << 1;             /* send phase (bit 0 clear), error code in bits 3..1 */
    return t;
}

l4_msgtag_t l4_call(l4_threadid_t to, l4_msgtag_t tag)
{
    loopback_calls++;
    transfer(loopback_request, client_utcb, tag);
    if (to == LOOPBACK_DEAD)
        return failed(2);
    transfer(server_utcb, client_utcb, tag);
    current = server_utcb;
    l4_msgtag_t reply = loopback_server(LOOPBACK_CLIENT, tag);
    current = client_utcb;
    if (to == LOOPBACK_CORRUPT && l4_untyped(reply) > 0)
        reply.raw -= 1;                /* one untyped word fewer than the server sent */
    transfer(client_utcb, server_utcb, reply);
    return reply;
}

/* ---- the server-loop script ---- */

static const struct loopback_step *script;
static int script_len, script_next;
struct loopback_reply loopback_replies[8];
int loopback_nreplies;
int loopback_waits;

void loopback_script(const struct loopback_step *steps, int n)
{
    script = steps;
    script_len = n;
    script_next = 0;
    current = server_utcb;             /* the server loop runs on the server's UTCB */
}

l4_msgtag_t l4_reply_wait(l4_threadid_t reply_to, l4_msgtag_t tag, l4_threadid_t *from)
{
    if (reply_to == L4_NILTHREAD) {
        loopback_waits++;
    } else if (loopback_nreplies < 8) {
        struct loopback_reply *r = &loopback_replies[loopback_nreplies++];
        r->to = reply_to;
        r->tag = tag;
        r->mr1 = server_utcb[1];
        r->mr2 = server_utcb[2];
    }
    if (script_next >= script_len)
        loopback_script_done();
    const struct loopback_step *s = &script[script_next++];
    if (s->fail)
        return failed(3);
    l4_msgtag_t t = { s->mr[0] };
    transfer(server_utcb, s->mr, t);
    *from = s->from;
    return t;
}
