/* sh.c: the shell. A command line is a list of pipelines (a | b | c, at most MAXPIPE commands)
 * joined by ';', '&' (run in the background), '&&' (run if the last status was 0) and '||' (run
 * if it was not); commands take redirections (< f, > f, >> f), single quotes (literal), double
 * quotes and backslash escapes; $? is the status of the last command (128 + N after signal N);
 * '#' starts a comment. Built-ins: cd, exit [N], wait. "sh FILE" runs a script, "sh -c LINE" one
 * line; commands without a '/' are run from /bin. As process 1 (init=/bin/sh) the shell acts as
 * init: it runs an interactive shell as its child and starts a new one whenever that one ends
 * (Ctrl-D, exit), since init itself may never exit. Every message names its cause (strerror). */
#include "libc.h"

#define MAXLINE 1024
#define MAXWORDS 32                  /* words per command */
#define MAXPIPE 16                   /* commands per pipeline: the documented limit */
#define MAXTOKENS 256
#define STATUS_MARK '\x01'           /* an unquoted or double-quoted $?, expanded when its pipeline runs */

enum { T_WORD, T_PIPE, T_OR, T_AND, T_AMP, T_SEMI, T_IN, T_OUT, T_APPEND, T_END };

struct token {
  int type;
  char *word;                        /* T_WORD: quotes removed, $? marked */
};

struct cmd {
  char *argv[MAXWORDS + 1];
  char *in, *out;                    /* redirections, or 0 */
  bool append;                       /* >> rather than > */
};

static char *environment[] = {"PATH=/bin", "HOME=/", 0};
static int status;                   /* $? */
static const char *const opname[] = {"", "|", "||", "&&", "&", ";", "<", ">", ">>", "newline"};

static int syntax_error(int type) {
  dprintf(2, "sh: syntax error near '%s'\n", opname[type]);
  return -1;
}

/* The shell's status for a wait status: the exit code, or 128 + the signal that killed it. */
static int wait_status(int w) {
  return WIFSIGNALED(w) ? 128 + WTERMSIG(w) : WEXITSTATUS(w);
}

/* Reads one word at s into buf (quotes and escapes resolved); returns the rest of the line, or
 * 0 for an unterminated quote. */
static const char *scan_word(const char *s, char **buf) {
  char *b = *buf;
  while (*s && !strchr(" \t|&;<>", *s)) {
    if (*s == '\'') {
      for (s++; *s && *s != '\''; )
        *b++ = *s++;
      if (!*s++)
        return 0;
    } else if (*s == '"') {
      for (s++; *s && *s != '"'; ) {
        if (s[0] == '\\' && s[1] && strchr("\"\\$", s[1])) {
          *b++ = s[1];
          s += 2;
        } else if (s[0] == '$' && s[1] == '?') {
          *b++ = STATUS_MARK;
          s += 2;
        } else {
          *b++ = *s++;
        }
      }
      if (!*s++)
        return 0;
    } else if (s[0] == '\\' && s[1]) {
      *b++ = s[1];
      s += 2;
    } else if (s[0] == '$' && s[1] == '?') {
      *b++ = STATUS_MARK;
      s += 2;
    } else {
      *b++ = *s++;
    }
  }
  *b++ = 0;
  *buf = b;
  return s;
}

/* Splits a line into tokens (words into buf, which needs 2 * strlen(s) + 2 bytes); the list ends
 * with T_END. Returns the token count, or -1 after printing why. */
static int tokenize(const char *s, struct token *tok, char *buf) {
  int n = 0;
  for (;;) {
    while (*s == ' ' || *s == '\t')
      s++;
    if (n == MAXTOKENS - 1) {
      dprintf(2, "sh: too many words and operators (at most %d)\n", MAXTOKENS - 1);
      return -1;
    }
    tok[n].word = 0;
    if (!*s || *s == '#') {
      tok[n].type = T_END;
      return n;
    }
    int two = s[0] == s[1];
    switch (*s) {
    case '|': tok[n].type = two ? T_OR : T_PIPE; break;
    case '&': tok[n].type = two ? T_AND : T_AMP; break;
    case '>': tok[n].type = two ? T_APPEND : T_OUT; break;
    case '<': tok[n].type = T_IN; two = 0; break;
    case ';': tok[n].type = T_SEMI; two = 0; break;
    default:
      tok[n].type = T_WORD;
      tok[n].word = buf;
      if (!(s = scan_word(s, &buf))) {
        dprintf(2, "sh: syntax error: unterminated quote\n");
        return -1;
      }
      n++;
      continue;
    }
    s += 1 + two;
    n++;
  }
}

/* Copies word into *buf with $? replaced by the current status; returns the copy. */
static char *expand(const char *word, char **buf) {
  char *start = *buf, *b = *buf;
  for (; *word; word++)
    if (*word == STATUS_MARK)
      b += snprintf(b, 12, "%d", status);
    else
      *b++ = *word;
  *b++ = 0;
  *buf = b;
  return start;
}

/* Turns the tokens of one pipeline (words, |, <, >, >>) into commands with their words
 * expanded into buf; returns how many, or -1 after printing why. */
static int parse_pipeline(struct token *t, int n, struct cmd *cmds, char *buf) {
  int nc = 0, argc = 0;
  memset(cmds, 0, sizeof(struct cmd) * MAXPIPE);
  for (int i = 0; i < n; i++) {
    if (t[i].type == T_PIPE) {
      if (argc == 0)
        return syntax_error(T_PIPE);
      if (++nc == MAXPIPE) {
        dprintf(2, "sh: pipeline too long: at most %d commands\n", MAXPIPE);
        return -1;
      }
      argc = 0;
    } else if (t[i].type != T_WORD) {          /* a redirection: its file name follows */
      if (i + 1 == n || t[i + 1].type != T_WORD)
        return syntax_error(i + 1 == n ? T_END : t[i + 1].type);
      char *file = expand(t[i + 1].word, &buf);
      if (t[i].type == T_IN) {
        cmds[nc].in = file;
      } else {
        cmds[nc].out = file;
        cmds[nc].append = t[i].type == T_APPEND;
      }
      i++;
    } else if (argc == MAXWORDS) {
      dprintf(2, "sh: too many words in one command (at most %d)\n", MAXWORDS);
      return -1;
    } else {
      cmds[nc].argv[argc++] = expand(t[i].word, &buf);
    }
  }
  if (argc == 0) {                             /* only redirections, as in "> f" */
    dprintf(2, "sh: missing command\n");
    return -1;
  }
  return nc + 1;
}

/* In a forked child: redirections, then exec. Never returns. */
static void run(struct cmd *c, int in, int out) {
  signal(SIGINT, SIG_DFL);     /* the shell ignores ^C; what it runs must not (exec keeps SIG_IGN) */
  if (c->in && (in = open(c->in, O_RDONLY)) < 0) {
    dprintf(2, "sh: %s: %s\n", c->in, strerror(errno));
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
  if (errno == ENOENT) {
    dprintf(2, "sh: %s: not found\n", c->argv[0]);
    exit(127);
  }
  dprintf(2, "sh: %s: cannot execute: %s\n", c->argv[0], strerror(errno));
  exit(126);
}

/* Waits for every child (the wait built-in); reaped jobs are not reported. */
static void wait_all(void) {
  while (wait(0) > 0 || errno == EINTR)
    ;
}

/* cd, exit and wait, which must run in the shell itself: true if c was one, with *st set. */
static bool builtin(struct cmd *c, int *st) {
  char **argv = c->argv;
  if (strcmp(argv[0], "cd") == 0) {
    const char *dir = argv[1] ? argv[1] : "/";
    *st = chdir(dir) < 0;
    if (*st)
      dprintf(2, "sh: cd: %s: %s\n", dir, strerror(errno));
    return true;
  }
  if (strcmp(argv[0], "exit") == 0) {
    if (!argv[1])
      exit(status);
    const char *p = argv[1];
    while (*p >= '0' && *p <= '9')
      p++;
    if (*p || p == argv[1]) {
      dprintf(2, "sh: exit: %s: numeric argument required\n", argv[1]);
      exit(2);
    }
    exit(atoi(argv[1]) & 0xFF);
  }
  if (strcmp(argv[0], "wait") == 0) {
    wait_all();
    *st = 0;
    return true;
  }
  return false;
}

/* Runs one pipeline and returns its status: the last command's, 1 when a pipe or a process
 * could not be made (the commands already started still run and are waited for), 2 on a
 * syntax error. */
static int run_pipeline(struct token *t, int n) {
  struct cmd cmds[MAXPIPE];
  char buf[4 * MAXLINE];       /* expanded words: each $? may grow to 11 characters */
  int nc = parse_pipeline(t, n, cmds, buf), st;
  if (nc < 0)
    return 2;
  if (nc == 1 && builtin(&cmds[0], &st))
    return st;
  pid_t pids[MAXPIPE];
  int started = 0, in = 0, failed = 0;
  for (int i = 0; i < nc; i++) {
    int fds[2] = {0, 1};
    if (i < nc - 1 && pipe(fds) < 0) {
      dprintf(2, "sh: pipe: %s\n", strerror(errno));
      failed = 1;
      break;
    }
    pid_t pid = fork();
    if (pid < 0) {
      dprintf(2, "sh: fork: %s\n", strerror(errno));
      if (i < nc - 1) {
        close(fds[0]);
        close(fds[1]);
      }
      failed = 1;
      break;
    }
    if (pid == 0) {
      if (i < nc - 1)
        close(fds[0]);
      run(&cmds[i], in, i < nc - 1 ? fds[1] : 1);
    }
    pids[started++] = pid;
    if (in != 0)
      close(in);
    in = 0;
    if (i < nc - 1) {
      close(fds[1]);
      in = fds[0];
    }
  }
  if (in != 0)
    close(in);             /* a pipeline cut short: its last reader sees end of file */
  int w = 0;
  for (int i = 0; i < started; i++)
    while (waitpid(pids[i], &w, 0) < 0 && errno == EINTR)
      ;
  return failed ? 1 : wait_status(w);
}

/* Runs pipelines joined by && and || (tokens [0, n)); returns the status. */
static int run_andor(struct token *t, int n) {
  bool run = true;
  for (int i = 0;;) {
    int j = i;
    while (j < n && t[j].type != T_AND && t[j].type != T_OR)
      j++;
    if (j == i || (j < n && j + 1 == n)) {      /* an operator with nothing on one side */
      syntax_error(j < n ? t[j].type : T_END);
      return 2;
    }
    if (run)
      status = run_pipeline(t + i, j - i);
    if (j == n)
      return status;
    run = t[j].type == T_AND ? status == 0 : status != 0;
    i = j + 1;
  }
}

/* cmd &: a child runs the whole and-or list; the shell goes on at once. */
static void background(struct token *t, int n) {
  pid_t pid = fork();
  if (pid < 0) {
    dprintf(2, "sh: fork: %s\n", strerror(errno));
    status = 1;
    return;
  }
  if (pid == 0)
    exit(run_andor(t, n));
  printf("[%d]\n", pid);
  status = 0;
}

/* Finds syntax errors before anything runs, as any shell does: an operator with no command
 * before it, or |, && or || with none after it, or a redirection without its file name. */
static bool check_syntax(struct token *t, int n) {
  bool need_command = true;
  int bad = -1;                      /* the token type the error is near */
  for (int i = 0; i < n && bad < 0; i++) {
    int type = t[i].type;
    if (type == T_WORD) {
      need_command = false;
    } else if (type == T_IN || type == T_OUT || type == T_APPEND) {
      if (i + 1 == n || t[i + 1].type != T_WORD)
        bad = i + 1 == n ? T_END : t[i + 1].type;
      i++;
    } else if (need_command) {
      bad = type;
    } else {
      need_command = true;
    }
  }
  if (bad < 0 && n > 0 && (t[n - 1].type == T_PIPE || t[n - 1].type == T_AND || t[n - 1].type == T_OR))
    bad = T_END;
  if (bad >= 0)
    syntax_error(bad);
  return bad < 0;
}

/* Runs one command line: and-or lists separated by ';' and '&'. */
static void run_line(const char *line) {
  static struct token tok[MAXTOKENS];
  static char words[2 * MAXLINE + 2];
  if (strlen(line) >= MAXLINE) {
    dprintf(2, "sh: line too long (at most %d characters)\n", MAXLINE - 1);
    status = 2;
    return;
  }
  int n = tokenize(line, tok, words);
  if (n < 0 || !check_syntax(tok, n)) {
    status = 2;
    return;
  }
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && tok[j].type != T_SEMI && tok[j].type != T_AMP)
      j++;
    if (j == i) {                      /* ";;", "& &" or a line starting with one */
      syntax_error(tok[j].type);
      status = 2;
      return;
    }
    if (j < n && tok[j].type == T_AMP)
      background(tok + i, j - i);
    else
      status = run_andor(tok + i, j - i);
    i = j + 1;
  }
}

/* One line from fd into line (without its newline): the console gives a line per read, a file
 * gives blocks, so reads go through a buffer. A line longer than size is cut short, and the rest
 * dropped with a message. Returns -1 at the end of the input. */
static int readline(int fd, char *line, int size) {
  static char buf[512];
  static int pos, len;
  int n = 0;
  bool cut = false;
  for (;;) {
    if (pos == len) {
      len = read(fd, buf, sizeof(buf));
      pos = 0;
      if (len < 0 && errno == EINTR)
        continue;
      if (len <= 0) {
        len = 0;
        if (n == 0 && !cut)
          return -1;
        break;
      }
    }
    char c = buf[pos++];
    if (c == '\n')
      break;
    if (n < size - 1)
      line[n++] = c;
    else
      cut = true;
  }
  line[n] = 0;
  if (cut)
    dprintf(2, "sh: line too long: cut to %d characters\n", size - 1);
  return n;
}

/* Commands from fd (a script, or the console with a prompt) until its end; returns $?. */
static int shell(int in) {
  char line[MAXLINE], cwd[128];
  signal(SIGINT, SIG_IGN);
  for (;;) {
    while (waitpid(-1, 0, WNOHANG) > 0)
      ;                        /* reap finished background jobs */
    if (in == 0)
      printf("%s$ ", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    if (readline(in, line, sizeof(line)) < 0)
      break;
    run_line(line);
  }
  if (in == 0)
    printf("\n");
  return status;
}

/* Process 1: the interactive shell runs as a child, and init reaps every orphan while it waits
 * for that child; when the shell ends, a new one starts. */
static int init(void) {
  signal(SIGINT, SIG_IGN);
  for (;;) {
    pid_t pid = fork();
    if (pid < 0) {
      dprintf(2, "init: fork: %s; trying again in a second\n", strerror(errno));
      sleep(1);
      continue;
    }
    if (pid == 0)
      exit(shell(0));
    int w = 0;
    pid_t r;
    while ((r = wait(&w)) != pid)
      if (r < 0 && errno != EINTR)
        break;
    printf("init: the shell ended with status %d; starting a new one\n", wait_status(w));
  }
}

int main(int argc, char **argv) {
  if (argc == 1 && getpid() == 1)
    return init();
  if (argc == 3 && strcmp(argv[1], "-c") == 0) {
    run_line(argv[2]);
    return status;
  }
  if (argc > 2) {
    dprintf(2, "usage: sh [FILE | -c LINE]\n");
    return 2;
  }
  int in = 0;
  if (argc == 2 && (in = open(argv[1], O_RDONLY)) < 0) {
    dprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
    return 127;
  }
  return shell(in);
}
