/* names.c: the name server (idl/names.idl). Servers register their thread id under a name,
 * clients look names up. A restarted server registers its name again: that replaces the old entry
 * when the old thread is gone. */
#include "srv.h"
#include "idl/names_server.h"

#define NNAMES 32
static struct { char name[NAMES_ADD_NAME_MAX + 1]; l4_threadid_t thread; } tab[NNAMES];

static int find(const char *name, l4_word_t len) {
  for (int i = 0; i < NNAMES; i++)
    if (tab[i].thread && strlen(tab[i].name) == len && memcmp(tab[i].name, name, len) == 0)
      return i;
  return -1;
}

/* Whether thread t still exists: a zero-timeout send to a deleted thread fails with "no partner"
 * at once (a restarted server takes over its predecessor's name). A live server that waits in an
 * open receive gets an empty message it answers with an error, which nobody waits for. */
static bool alive(l4_threadid_t t) {
  l4_msgtag_t r = l4_send_timeout(t, l4_mktag(0, 0, 0), L4_TIMEOUT_ZERO);
  return !l4_ipc_failed(r) || ((l4_ipc_error() >> 1) & 7) != 2;
}

int names_add_impl(l4_threadid_t caller, const char *name, l4_word_t len) {
  int i = find(name, len);
  if (i >= 0 && tab[i].thread != caller && alive(tab[i].thread))
    return -17;                                   /* EEXIST */
  for (i = i >= 0 ? i : 0; i < NNAMES; i++)     /* the old entry (its thread is gone), or a free one */
    if (!tab[i].thread || tab[i].thread == caller || (tab[i].name[len] == 0 && memcmp(tab[i].name, name, len) == 0))
      break;
  if (i == NNAMES)
    return -28;                                   /* ENOSPC */
  memcpy(tab[i].name, name, len);
  tab[i].name[len] = 0;
  tab[i].thread = caller;
  printf("names: %s -> %x\n", tab[i].name, caller);
  return 0;
}

int names_lookup_impl(l4_threadid_t caller, const char *name, l4_word_t len, l4_word_t *thread) {
  int i = find(name, len);
  if (i < 0)
    return -2;                                    /* ENOENT */
  *thread = tab[i].thread;
  return 0;
}

int names_remove_impl(l4_threadid_t caller, const char *name, l4_word_t len) {
  int i = find(name, len);
  if (i < 0 || tab[i].thread != caller)
    return -2;
  tab[i].thread = 0;
  return 0;
}

int names_entry_impl(l4_threadid_t caller, l4_word_t index, char *name, l4_word_t *len, l4_word_t *thread) {
  for (int i = 0; i < NNAMES; i++)
    if (tab[i].thread && index-- == 0) {
      *len = strlen(tab[i].name);
      memcpy(name, tab[i].name, *len);
      *thread = tab[i].thread;
      return 0;
    }
  return -2;
}

int main(void) {
  names_server_loop();
}
