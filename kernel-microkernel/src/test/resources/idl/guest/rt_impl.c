/* rt_impl.c: the server side of the rt test interface, the functions rt_server.c calls. */
#include "rt_server.h"
#include "guest.h"

int rt_scalars_impl(l4_threadid_t caller, l4_word_t a, int b, l4_word_t *sum, int *neg)
{
    (void)caller;
    *sum = a + (l4_word_t)b;
    *neg = -b;
    return 7;
}

int rt_echo_impl(l4_threadid_t caller, const char *s, l4_word_t s_len, char *r, l4_word_t *r_len, l4_word_t *len)
{
    (void)caller;
    if (s[s_len] != '\0')
        return -100;                   /* the skeleton promises a terminated in string */
    for (l4_word_t i = 0; i < s_len; i++)
        r[i] = s[s_len - 1 - i];
    *r_len = s_len;
    *len = s_len;
    return (int)s_len;
}

int rt_fail_impl(l4_threadid_t caller, int code, l4_word_t *never)
{
    (void)caller;
    *never = 0x55;
    return code;
}

int rt_pages_impl(l4_threadid_t caller, idl_fpage_t p, l4_word_t tag_word, idl_fpage_t *q, l4_word_t *base)
{
    (void)caller;
    q->snd_base = p.snd_base + 0x1000 * tag_word;
    q->fpage.raw = p.fpage.raw & ~2u;  /* no write right */
    *base = p.snd_base;
    return 1;
}

int rt_mixed_impl(l4_threadid_t caller, const char *a, l4_word_t a_len, l4_word_t x, const char *b,
                  l4_word_t b_len, char *ab, l4_word_t *ab_len, int *y)
{
    (void)caller;
    for (l4_word_t i = 0; i < a_len; i++)
        ab[i] = a[i];
    for (l4_word_t i = 0; i < b_len; i++)
        ab[a_len + i] = b[i];
    *ab_len = a_len + b_len;
    *y = (int)(2 * x);
    return 0;
}

int rt_full_impl(l4_threadid_t caller, const char *big, l4_word_t big_len, l4_word_t w, l4_word_t *sum)
{
    (void)caller;
    l4_word_t s = w;
    for (l4_word_t i = 0; i < big_len; i++)
        s += (unsigned char)big[i];
    *sum = s;
    return (int)big_len;
}

int rt_nothing_impl(l4_threadid_t caller)
{
    return caller == LOOPBACK_CLIENT ? 0 : -1;
}

int rt_overrun_impl(l4_threadid_t caller, char *s, l4_word_t *s_len)
{
    (void)caller;
    s[0] = 'x';
    *s_len = 5;                        /* one more than string<4> allows */
    return 0;
}

l4_threadid_t later_caller;            /* who waits for a deferred reply of later */

int rt_later_impl(l4_threadid_t caller, l4_word_t x, l4_word_t *y)
{
    if (x == 0) {
        later_caller = caller;
        return IDL_NOREPLY;
    }
    *y = x + 1;
    return (int)x;
}
