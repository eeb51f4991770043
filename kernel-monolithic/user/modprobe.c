/* modprobe.c: loads a module and, first, the modules it depends on, as listed in
 * /lib/modules/modules.dep ("name.ko: dep1.ko dep2.ko", direct dependencies only; the Makefile
 * writes it from each .ko's .modinfo depends=). A module already in /proc/modules is skipped; a
 * dependency cycle is refused before anything is loaded. modprobe -r NAME unloads it.
 * Usage: modprobe [-d modules.dep] NAME [param=value ...] | modprobe -r NAME */
#include "libc.h"

#define MAXMODS 32
#define MAXDEPS 8
#define NAMELEN 56

struct entry {
  char name[NAMELEN];
  char deps[MAXDEPS][NAMELEN];
  int ndeps;
};

static struct entry table[MAXMODS];
static int nentries;
static char loaded[1024];          /* /proc/modules at start */
static const char *path[MAXMODS + 1];   /* the chain being resolved, for cycle messages */
static int depth;
static const char *order[MAXMODS];      /* the load order, dependencies first */
static int norder;

/* "dir/name.ko" -> "name" into out */
static void modname(char *out, const char *word, int n) {
  const char *start = word;
  for (int i = 0; i < n; i++)
    if (word[i] == '/')
      start = word + i + 1;
  n -= start - word;
  if (n > 3 && strncmp(start + n - 3, ".ko", 3) == 0)
    n -= 3;
  if (n >= NAMELEN)
    n = NAMELEN - 1;
  memcpy(out, start, n);
  out[n] = 0;
}

static int parse_depfile(const char *file) {
  int len;
  char *text = readfile(file, &len);
  if (!text) {
    dprintf(2, "modprobe: FATAL: %s: %s\n", file, strerror(errno));
    return -1;
  }
  text[len] = 0;
  for (char *line = text; *line && nentries < MAXMODS;) {
    char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    char *colon = strchr(line, ':');
    if (colon && colon < end) {
      struct entry *e = &table[nentries++];
      modname(e->name, line, colon - line);
      for (char *p = colon + 1; p < end && e->ndeps < MAXDEPS;) {
        while (p < end && *p == ' ')
          p++;
        char *w = p;
        while (p < end && *p != ' ')
          p++;
        if (p > w)
          modname(e->deps[e->ndeps++], w, p - w);
      }
    }
    line = *end ? end + 1 : end;
  }
  return 0;
}

static struct entry *lookup(const char *name) {
  for (int i = 0; i < nentries; i++)
    if (strcmp(table[i].name, name) == 0)
      return &table[i];
  return 0;
}

static int is_loaded(const char *name) {
  int n = strlen(name);
  for (char *line = loaded; *line;) {
    if (strncmp(line, name, n) == 0 && line[n] == ' ')
      return 1;
    char *nl = strchr(line, '\n');
    if (!nl)
      break;
    line = nl + 1;
  }
  return 0;
}

/* Depth-first: the dependencies' load order before name's; -1 on a cycle or an unknown module. */
static int resolve(const char *name) {
  for (int i = 0; i < depth; i++)
    if (strcmp(path[i], name) == 0) {
      dprintf(2, "modprobe: FATAL: dependency cycle:");
      for (int j = i; j < depth; j++)
        dprintf(2, " %s ->", path[j]);
      dprintf(2, " %s\n", name);
      return -1;
    }
  for (int i = 0; i < norder; i++)
    if (strcmp(order[i], name) == 0)
      return 0;
  struct entry *e = lookup(name);
  if (!e) {
    dprintf(2, "modprobe: FATAL: Module %s not found in modules.dep\n", name);
    return -1;
  }
  path[depth++] = e->name;
  for (int i = 0; i < e->ndeps; i++)
    if (resolve(e->deps[i]) < 0)
      return -1;
  depth--;
  if (norder < MAXMODS)
    order[norder++] = e->name;
  return 0;
}

static int insert(const char *name, const char *params) {
  char file[96];
  int len;
  snprintf(file, sizeof(file), "/lib/modules/%s.ko", name);
  void *image = readfile(file, &len);
  if (!image) {
    dprintf(2, "modprobe: FATAL: %s: %s\n", file, strerror(errno));
    return -1;
  }
  int r = init_module(image, len, params);
  free(image);
  if (r < 0) {
    dprintf(2, "modprobe: ERROR: could not insert '%s': %s\n", name,
            errno == ENOEXEC ? "Invalid module format" : errno == ENOENT ? "Unknown symbol in module" : strerror(errno));
    return -1;
  }
  printf("modprobe: inserted %s\n", name);
  return 0;
}

int main(int argc, char **argv) {
  const char *depfile = "/lib/modules/modules.dep";
  int i = 1, remove = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-r") == 0)
      remove = 1;
    else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
      depfile = argv[++i];
    else
      break;
  }
  if (i >= argc) {
    dprintf(2, "usage: modprobe [-d modules.dep] NAME [param=value ...] | modprobe -r NAME\n");
    return 2;
  }
  if (parse_depfile(depfile) < 0)
    return 1;
  if (remove) {
    char name[NAMELEN];
    modname(name, argv[i], strlen(argv[i]));
    if (delete_module(name, 0) < 0) {
      dprintf(2, "modprobe: FATAL: could not remove %s: %s\n", name, strerror(errno));
      return 1;
    }
    printf("modprobe: removed %s\n", name);
    /* then its dependencies, as Linux's modprobe -r does; those still used by others stay */
    struct entry *e = lookup(name);
    for (int k = 0; e && k < e->ndeps; k++)
      if (delete_module(e->deps[k], 0) == 0)
        printf("modprobe: removed %s\n", e->deps[k]);
    return 0;
  }
  int fd = open("/proc/modules", O_RDONLY);
  if (fd >= 0) {
    int n = read(fd, loaded, sizeof(loaded) - 1);
    loaded[n > 0 ? n : 0] = 0;
    close(fd);
  }
  char name[NAMELEN];
  modname(name, argv[i], strlen(argv[i]));
  if (resolve(name) < 0)
    return 1;
  char params[256] = "";
  for (int j = i + 1, n = 0; j < argc && n < (int)sizeof(params) - 1; j++)
    n += snprintf(params + n, sizeof(params) - n, j > i + 1 ? " %s" : "%s", argv[j]);
  const char *inserted[MAXMODS];
  int ninserted = 0;
  for (int k = 0; k < norder; k++) {
    int last = strcmp(order[k], name) == 0;
    if (is_loaded(order[k])) {
      if (last)
        printf("modprobe: %s is already loaded\n", name);
      continue;
    }
    if (insert(order[k], last ? params : "") < 0) {
      while (ninserted > 0)          /* leave the module list as it was */
        delete_module(inserted[--ninserted], 0);
      return 1;
    }
    inserted[ninserted++] = order[k];
  }
  return 0;
}
