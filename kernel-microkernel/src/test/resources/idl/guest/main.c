/* main.c: the IDL loopback test guest. It calls every stub of the rt interface (rt.idl) through
 * the loopback transport into the generated skeleton and checks each value that comes back,
 * then sends hand-made malformed requests, and finally runs rt_server_loop on a script. One
 * line per check; IdlLoopbackGuestTest asserts them by name. */
#include "rt_client.h"
#include "rt_server.h"
#include "guest.h"

#define SERVER 0x00000042u

static l4_msgtag_t raw_call(l4_word_t label, l4_word_t u, l4_word_t t)
{
    return l4_call(SERVER, l4_mktag(label, u, t));
}

static void scalars(void)
{
    l4_word_t sum = 0;
    int neg = 0;
    int ret = rt_scalars(SERVER, 0xFFFFFFF0u, -5, &sum, &neg);
    check_word("scalars-result", (l4_word_t)ret, 7);
    check_word("scalars-word", sum, 0xFFFFFFEBu);
    check_word("scalars-int", (l4_word_t)neg, 5);
    check_word("scalars-request-words", l4_untyped((l4_msgtag_t){ loopback_request[0] }), 2);
}

/* echo of the first n bytes of a 13-byte text: the reply must be the reverse. */
static void echo(const char *name, l4_word_t n)
{
    static const char text[] = "ABCDEFGHIJKLM";   /* 13 bytes: string<13> */
    char r[RT_ECHO_R_MAX];
    char want[RT_ECHO_R_MAX];
    l4_word_t r_len = 0xFFFF, len = 0xFFFF;
    for (l4_word_t i = 0; i < n; i++)
        want[i] = text[n - 1 - i];
    int ret = rt_echo(SERVER, text, n, r, &r_len, &len);
    check_true(name, ret == (int)n && r_len == n && len == n && bytes_equal(r, want, n));
}

static void strings(void)
{
    echo("string-0", 0);
    echo("string-1", 1);
    echo("string-4", 4);
    echo("string-12", 12);               /* N - 1 */
    echo("string-13", 13);               /* N */
    check_word("string-13-request-words", l4_untyped((l4_msgtag_t){ loopback_request[0] }), 1 + 4);
    check_word("string-packing", loopback_request[2], 0x44434241u);   /* "ABCD", byte 0 lowest */
    check_word("string-padding", loopback_request[5], 0x4Du);         /* "M" then zero bytes */

    l4_word_t before = loopback_calls;
    char r[RT_ECHO_R_MAX];
    l4_word_t r_len, len;
    int ret = rt_echo(SERVER, "ABCDEFGHIJKLMN", 14, r, &r_len, &len);   /* N + 1 */
    check_word("string-too-long", (l4_word_t)ret, (l4_word_t)IDL_EMSGSIZE);
    check_word("string-too-long-not-sent", loopback_calls - before, 0);

    char ab[RT_MIXED_AB_MAX];
    l4_word_t ab_len = 0;
    int y = 0;
    ret = rt_mixed(SERVER, "abc", 3, 21, "defgh", 5, ab, &ab_len, &y);
    check_true("mixed", ret == 0 && ab_len == 8 && bytes_equal(ab, "abcdefgh", 8) && y == 42);
    check_word("mixed-request-words", l4_untyped((l4_msgtag_t){ loopback_request[0] }), 1 + 2 + 3);
    check_word("mixed-word-first", loopback_request[1], 21);       /* scalars before strings */

    static char big[RT_FULL_BIG_MAX];
    l4_word_t want = 1000;
    for (l4_word_t i = 0; i < RT_FULL_BIG_MAX; i++) {
        big[i] = (char)(i * 7 + 1);
        want += (unsigned char)big[i];
    }
    l4_word_t sum = 0;
    ret = rt_full(SERVER, big, RT_FULL_BIG_MAX, 1000, &sum);
    check_true("full-63-words", ret == RT_FULL_BIG_MAX && sum == want);
    check_word("full-request-words", l4_untyped((l4_msgtag_t){ loopback_request[0] }), 63);

    char s[RT_OVERRUN_S_MAX];
    l4_word_t s_len = 0;
    ret = rt_overrun(SERVER, s, &s_len);
    check_word("server-overrun", (l4_word_t)ret, (l4_word_t)IDL_EMSGSIZE);
}

static void results(void)
{
    l4_word_t never = 0x1234;
    int ret = rt_fail(SERVER, -5, &never);
    check_word("negative-result", (l4_word_t)ret, (l4_word_t)-5);
    check_word("negative-result-no-outs", never, 0x1234);
    ret = rt_fail(SERVER, 3, &never);
    check_true("positive-result", ret == 3 && never == 0x55);
    check_word("no-params", (l4_word_t)rt_nothing(SERVER), 0);
}

static void fpages(void)
{
    idl_fpage_t p = { 0x40000000u, { 0x00800000u | (12u << 4) | 7u } };
    idl_fpage_t q = { 0, { 0 } };
    l4_word_t base = 0;
    int ret = rt_pages(SERVER, p, 3, &q, &base);
    check_true("fpage", ret == 1 && base == 0x40000000u && q.snd_base == 0x40003000u
               && q.fpage.raw == (0x00800000u | (12u << 4) | 5u));
    l4_msgtag_t sent = { loopback_request[0] };
    check_true("fpage-request-tag", l4_untyped(sent) == 1 && l4_typed(sent) == 2);
    check_word("fpage-map-item", loopback_request[2], 0x40000000u | 0x8);
    check_word("fpage-item-fpage", loopback_request[3], p.fpage.raw);
}

static void errors(void)
{
    l4_word_t *mr = l4_utcb_mr();
    l4_msgtag_t t = raw_call(0x4263, 0, 0);                     /* op 0x63 does not exist */
    check_true("unknown-label", l4_untyped(t) == 1 && (int)mr[1] == IDL_ENOSYS);
    t = raw_call(0x4301, 0, 0);                                 /* another interface's label */
    check_true("foreign-label", (int)mr[1] == IDL_ENOSYS);

    mr[1] = 1;
    t = raw_call(RT_SCALARS_LABEL, 1, 0);                       /* one word short */
    check_true("malformed-short", l4_untyped(t) == 1 && (int)mr[1] == IDL_EBADMSG);
    mr[1] = 1; mr[2] = 2; mr[3] = 3;
    t = raw_call(RT_SCALARS_LABEL, 3, 0);                       /* one word too many */
    check_true("malformed-long", (int)mr[1] == IDL_EBADMSG);
    mr[1] = 14; mr[2] = 0; mr[3] = 0; mr[4] = 0; mr[5] = 0;
    t = raw_call(RT_ECHO_LABEL, 5, 0);                          /* length 14 > string<13> */
    check_true("malformed-string-bound", (int)mr[1] == IDL_EBADMSG);
    mr[1] = 12; mr[2] = 0;
    t = raw_call(RT_ECHO_LABEL, 2, 0);                          /* length 12 but one word of bytes */
    check_true("malformed-string-short", (int)mr[1] == IDL_EBADMSG);
    mr[1] = 3;
    t = raw_call(RT_PAGES_LABEL, 1, 0);                         /* fpage missing */
    check_true("malformed-no-item", (int)mr[1] == IDL_EBADMSG);
    mr[1] = 3; mr[2] = 0x40000000u; mr[3] = 0x1000;             /* a string item (type 0), no map item */
    t = raw_call(RT_PAGES_LABEL, 1, 2);
    check_true("malformed-item-type", (int)mr[1] == IDL_EBADMSG);

    l4_word_t sum = 0x99;
    int neg = 0;
    int ret = rt_scalars(LOOPBACK_DEAD, 1, 2, &sum, &neg);
    check_word("ipc-error", (l4_word_t)ret, (l4_word_t)IDL_EIPC(2));
    check_word("ipc-error-value", (l4_word_t)ret, (l4_word_t)-1002);
    check_word("ipc-error-no-outs", sum, 0x99);
    ret = rt_scalars(LOOPBACK_CORRUPT, 1, 2, &sum, &neg);
    check_word("malformed-reply", (l4_word_t)ret, (l4_word_t)IDL_EPROTO);
}

extern l4_threadid_t later_caller;

/* A server function that answers IDL_NOREPLY: the skeleton sends nothing, and the server builds
 * the reply later with the generated rt_later_reply. */
static void deferred(void)
{
    l4_word_t y = 0;
    int ret = rt_later(SERVER, 5, &y);
    check_true("later-immediate", ret == 5 && y == 6);

    l4_word_t *mr = l4_utcb_mr();
    mr[1] = 0;
    l4_msgtag_t t = raw_call(RT_LATER_LABEL, 1, 0);
    check_true("noreply-dispatch", idl_is_noreply(t) && later_caller == LOOPBACK_CLIENT);

    t = rt_later_reply(9, 77);
    check_true("reply-builder", l4_label(t) == RT_LATER_LABEL && l4_untyped(t) == 2 && l4_typed(t) == 0
               && mr[1] == 9 && mr[2] == 77);
    t = rt_later_reply(-4, 77);
    check_true("reply-builder-error", l4_untyped(t) == 1 && (int)mr[1] == -4);
}

/* ---- costs: instructions of a stub call minus those of the bare loopback transport moving
 * messages of the same sizes, i.e. what the generated code (both sides) and the server function
 * add. Printed as info lines, never asserted. */

static l4_msgtag_t null_reply;

static l4_msgtag_t null_server(l4_threadid_t from, l4_msgtag_t tag)
{
    (void)from;
    (void)tag;
    return null_reply;
}

static void cost(const char *name, void (*call)(void), l4_msgtag_t request, l4_msgtag_t reply)
{
    l4_word_t t0 = instructions_now();
    call();
    l4_word_t t1 = instructions_now();
    loopback_server = null_server;
    null_reply = reply;
    l4_word_t t2 = instructions_now();
    l4_call(SERVER, request);
    l4_word_t t3 = instructions_now();
    loopback_server = rt_dispatch;
    info(name, (t1 - t0) - (t3 - t2));
}

static void call_scalars(void)
{
    l4_word_t sum;
    int neg;
    rt_scalars(SERVER, 1, 2, &sum, &neg);
}

static void call_echo(void)
{
    char r[RT_ECHO_R_MAX];
    l4_word_t r_len, len;
    rt_echo(SERVER, "ABCDEFGHIJKLM", 13, r, &r_len, &len);
}

static void call_full(void)
{
    static char big[RT_FULL_BIG_MAX];
    l4_word_t sum;
    rt_full(SERVER, big, RT_FULL_BIG_MAX, 0, &sum);
}

static void call_pages(void)
{
    idl_fpage_t p = { 0x40000000u, { 0x00800000u | (12u << 4) | 7u } }, q;
    l4_word_t base;
    rt_pages(SERVER, p, 0, &q, &base);
}

static void costs(void)
{
    cost("cost-scalars", call_scalars, l4_mktag(RT_SCALARS_LABEL, 2, 0), l4_mktag(RT_SCALARS_LABEL, 3, 0));
    cost("cost-echo-13", call_echo, l4_mktag(RT_ECHO_LABEL, 5, 0), l4_mktag(RT_ECHO_LABEL, 7, 0));
    cost("cost-full-63", call_full, l4_mktag(RT_FULL_LABEL, 63, 0), l4_mktag(RT_FULL_LABEL, 2, 0));
    cost("cost-fpage", call_pages, l4_mktag(RT_PAGES_LABEL, 1, 2), l4_mktag(RT_PAGES_LABEL, 2, 2));
}

/* The server loop: a failed receive, a request, one answered later (no reply now), an unknown
 * label, then the script ends. */
static const struct loopback_step steps[] = {
    { 1, 0, { 0 } },
    { 0, 0x777, { (RT_SCALARS_LABEL << 16) | 2, 40, 2 } },
    { 0, 0x779, { (RT_LATER_LABEL << 16) | 1, 0 } },
    { 0, 0x778, { (0x42FFu << 16) | 0, 0 } },
};

_Noreturn void loopback_script_done(void)
{
    check_word("loop-replies", (l4_word_t)loopback_nreplies, 2);
    check_true("loop-reply-scalars", loopback_replies[0].to == 0x777 && loopback_replies[0].mr1 == 7
               && loopback_replies[0].mr2 == 42 && l4_untyped(loopback_replies[0].tag) == 3);
    check_true("loop-reply-unknown", loopback_replies[1].to == 0x778
               && (int)loopback_replies[1].mr1 == IDL_ENOSYS && l4_untyped(loopback_replies[1].tag) == 1);
    check_word("loop-waits", (l4_word_t)loopback_waits, 3);     /* the first, after the failure, after later */
    check_word("loop-later-caller", later_caller, 0x779);
    guest_exit((l4_word_t)check_summary());
}

int guest_main(void)
{
    serial_init();
    serial_puts("idl: loopback guest\n");
    loopback_server = rt_dispatch;
    scalars();
    strings();
    results();
    fpages();
    errors();
    deferred();
    costs();
    check_true("owns", rt_owns(l4_mktag(RT_ECHO_LABEL, 0, 0)) && !rt_owns(l4_mktag(0x4301, 0, 0)));
    loopback_script(steps, 4);
    rt_server_loop();
}
