/* sh.c: a small shell: pipelines (a | b | c), redirection (< file, > file, >> file), background (&),
 * ';' sequences, and the built-ins cd and exit; sh FILE runs a script. Commands without a '/' are run from /bin. */
#include "libc.h"

#define MAXWORDS 32
#define MAXCMDS 8

struct cmd {
  char *argv[MAXWORDS + 1];
  char *in, *out;              /* redirections, or 0 */
  bool append;                 /* >> rather than > */
};

static char *environment[] = {"PATH=/bin", "HOME=/", 0};

/* Splits s into words and the operators | < > (each its own token), in place: operators are
 * returned as static strings, words point into 'buf'. Returns the token count. */
static int tokenize(const char *s, char **tok, char *buf) {
  int n = 0;
  while (*s && n < 2 * MAXWORDS) {
    if (*s == ' ' || *s == '\t') {
      s++;
    } else if (s[0] == '>' && s[1] == '>') {
      tok[n++] = ">>";
      s += 2;
    } else if (*s == '|' || *s == '<' || *s == '>') {
      tok[n++] = *s == '|' ? "|" : *s == '<' ? "<" : ">";
      s++;
    } else {
      tok[n++] = buf;
      while (*s && !strchr(" \t|<>", *s))
        *buf++ = *s++;
      *buf++ = 0;
    }
  }
  return n;
}

/* Splits one pipeline (no ';') into commands; returns how many, or -1 on a syntax error. */
static int parse(char *line, struct cmd *cmds, char *buf) {
  char *tok[2 * MAXWORDS];
  int ntok = tokenize(line, tok, buf), n = 0, argc = 0;
  memset(cmds, 0, sizeof(struct cmd) * MAXCMDS);
  for (int i = 0; i < ntok; i++) {
    if (strcmp(tok[i], "|") == 0) {
      if (argc == 0 || ++n == MAXCMDS)
        return -1;
      argc = 0;
    } else if (strcmp(tok[i], "<") == 0 || tok[i][0] == '>') {
      if (i + 1 == ntok || strchr("|<>", tok[i + 1][0]))
        return -1;
      cmds[n].append = tok[i][1] == '>';
      *(tok[i][0] == '<' ? &cmds[n].in : &cmds[n].out) = tok[i + 1];
      i++;
    } else if (argc < MAXWORDS) {
      cmds[n].argv[argc++] = tok[i];
    }
  }
  if (argc == 0)
    return n > 0 ? -1 : 0;
  return n + 1;
}

static void run(struct cmd *c, int in, int out) {
  signal(SIGINT, SIG_DFL);     /* the shell ignores ^C; what it runs must not (exec keeps SIG_IGN) */
  if (c->in && (in = open(c->in, O_RDONLY)) < 0) {
    dprintf(2, "sh: %s: error %d\n", c->in, errno);
    exit(1);
  }
  if (c->out && (out = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0644)) < 0) {
    dprintf(2, "sh: %s: %s\n", c->out, strerror(errno));
    exit(1);
  }
  if (in != 0) {
    dup2(in, 0);
    close(in);
  }
  if (out != 1) {
    dup2(out, 1);
    close(out);
  }
  char path[128];
  const char *name = c->argv[0];
  if (!strchr(name, '/')) {
    snprintf(path, sizeof(path), "/bin/%s", name);
    name = path;
  }
  execve(name, c->argv, environment);
  dprintf(2, "sh: %s: %s\n", c->argv[0], errno == ENOENT ? "not found" : "cannot execute");
  exit(127);
}

static void pipeline(char *line, bool background) {
  struct cmd cmds[MAXCMDS];
  char buf[512];
  int n = parse(line, cmds, buf);
  if (n < 0) {
    dprintf(2, "sh: syntax error\n");
    return;
  }
  if (n == 0)
    return;
  if (strcmp(cmds[0].argv[0], "cd") == 0) {
    if (chdir(cmds[0].argv[1] ? cmds[0].argv[1] : "/") < 0)
      dprintf(2, "sh: cd: error %d\n", errno);
    return;
  }
  if (strcmp(cmds[0].argv[0], "exit") == 0)
    exit(cmds[0].argv[1] ? atoi(cmds[0].argv[1]) : 0);
  pid_t pids[MAXCMDS];
  int in = 0;
  for (int i = 0; i < n; i++) {
    int fds[2] = {0, 1};
    if (i < n - 1 && pipe(fds) < 0) {
      dprintf(2, "sh: pipe: error %d\n", errno);
      n = i;
      break;
    }
    pids[i] = fork();
    if (pids[i] == 0) {
      if (i < n - 1)
        close(fds[0]);
      run(&cmds[i], in, i < n - 1 ? fds[1] : 1);
    }
    if (in != 0)
      close(in);
    if (i < n - 1) {
      close(fds[1]);
      in = fds[0];
    }
  }
  if (background) {
    printf("[%d]\n", pids[n - 1]);
    return;
  }
  for (int i = 0; i < n; i++)
    while (waitpid(pids[i], 0, 0) < 0 && errno == EINTR)
      ;
}

/* One line from fd into line (without its newline): the console gives a line per read, a file
 * gives blocks, so reads go through a buffer. Returns -1 at the end of the input. */
static int readline(int fd, char *line, int size) {
  static char buf[512];
  static int pos, len;
  int n = 0;
  for (;;) {
    if (pos == len) {
      len = read(fd, buf, sizeof(buf));
      pos = 0;
      if (len <= 0) {
        len = 0;
        if (n == 0)
          return -1;
        break;
      }
    }
    char c = buf[pos++];
    if (c == '\n')
      break;
    if (n < size - 1)
      line[n++] = c;
  }
  line[n] = 0;
  return n;
}

/* sh [script]: commands from the script file, else from the console with a prompt. Lines
 * starting with # are comments. */
int main(int argc, char **argv) {
  char line[1024], cwd[128];    /* a whole typed-ahead script fits on one line */
  int in = 0;
  signal(SIGINT, SIG_IGN);
  if (argc > 1 && (in = open(argv[1], O_RDONLY)) < 0) {
    dprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
    return 127;
  }
  for (;;) {
    while (waitpid(-1, 0, WNOHANG) > 0)
      ;                        /* reap finished background jobs */
    if (in == 0)
      printf("%s$ ", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    if (readline(in, line, sizeof(line)) < 0)
      break;
    if (line[0] == '#')
      continue;
    for (char *s = line, *next; s; s = next) {
      next = strchr(s, ';');
      if (next)
        *next++ = 0;
      char *amp = strchr(s, '&');
      if (amp)
        *amp = 0;
      pipeline(s, amp != 0);
    }
  }
  if (in == 0)
    printf("\n");
  return 0;
}
