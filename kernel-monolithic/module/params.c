/* params.c: module parameters: "name=value name2=value2" applied to the module's __param table
 * before its init runs. int takes a decimal (or 0x hex) number; charp gets a kmalloc'd copy. */
#include "internal.h"

static int parse_int(const char *s, int *out) {
  bool neg = *s == '-';
  int base = 10, v = 0;
  if (neg || *s == '+')
    s++;
  if (s[0] == '0' && s[1] == 'x')
    base = 16, s += 2;
  if (!*s)
    return -EINVAL;
  for (; *s; s++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : 99;
    if (d >= base)
      return -EINVAL;
    v = v * base + d;
  }
  *out = neg ? -v : v;
  return 0;
}

static int set_param(struct module *mod, const struct module_param *p, const char *val) {
  if (p->type == PARAM_INT)
    return parse_int(val, (int *)p->ptr);
  char *copy = kmalloc(strlen(val) + 1);
  if (!copy)
    return -ENOMEM;
  safestrcpy(copy, val, strlen(val) + 1);
  *(char **)p->ptr = copy;
  if (mod->nstrings < MAXPARAMS)
    mod->strings[mod->nstrings++] = copy;   /* freed with the module */
  return 0;
}

/* Applies 'args' to the n parameters in params; an unknown name or a bad value is -EINVAL
 * (Linux: "Unknown parameter"). */
int parse_args(struct module *mod, const struct module_param *params, int n, const char *args) {
  char word[128];
  while (*args) {
    while (*args == ' ')
      args++;
    int len = 0;
    while (args[len] && args[len] != ' ')
      len++;
    if (len == 0)
      break;
    if (len >= (int)sizeof(word))
      return -EINVAL;
    memmove(word, args, len);
    word[len] = 0;
    args += len;
    char *eq = word;
    while (*eq && *eq != '=')
      eq++;
    const char *val = *eq ? eq + 1 : "1";   /* a bare "flag" means flag=1, as in Linux */
    *eq = 0;
    int i = 0;
    while (i < n && strcmp(params[i].name, word) != 0)
      i++;
    if (i == n) {
      printk("%s: Unknown parameter `%s'\n", mod->name, word);
      return -EINVAL;
    }
    if (set_param(mod, &params[i], val) < 0) {
      printk("%s: bad value '%s' for parameter %s\n", mod->name, val, word);
      return -EINVAL;
    }
  }
  return 0;
}
