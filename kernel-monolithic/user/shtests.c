/* shtests.c: checks the shell and the small commands from outside: each check runs "sh -c LINE"
 * (or a command) in a child with its standard output and error on a pipe, and compares what came
 * out and the exit status with what a POSIX shell and coreutils give. One line per check; as
 * init=/bin/shtests it powers off with status 0 or 1, from the shell it exits with it. */
#include "libc.h"

static int failures;
static char out[8192];

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "shtests: ok   " : "shtests: FAIL ");            \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

/* Runs argv (a path and its arguments) with stdout and stderr on one pipe; out gets what it
 * printed (NUL-terminated, cut at sizeof(out) - 1); returns the wait status. */
static int capture(char **argv) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[1]);
    execve(argv[0], argv, 0);
    _exit(99);
  }
  close(fds[1]);
  int n = 0, r;
  while ((r = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
    n += r;
  out[n] = 0;
  close(fds[0]);
  int status = -1;
  if (pid > 0)
    waitpid(pid, &status, 0);
  return status;
}

/* sh -c line: returns the exit status (or -1 if it did not exit) with its output in out. */
static int sh(const char *line) {
  char *argv[] = {"/bin/sh", "-c", (char *)line, 0};
  int s = capture(argv);
  return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

/* Checks that "sh -c line" prints exactly want and exits with status. */
static void expect(const char *line, const char *want, int status) {
  int s = sh(line);
  CHECK(s == status && strcmp(out, want) == 0, "%s -> status %d", line, s);
  if (s != status || strcmp(out, want) != 0)
    printf("shtests:      printed [%s], wanted [%s] and status %d\n", out, want, status);
}

static void test_status_and_lists(void) {
  expect("false; echo $?", "1\n", 0);
  expect("true; echo $?", "0\n", 0);
  expect("false", "", 1);
  expect("exit 7", "", 7);
  expect("false; exit", "", 1);
  expect("sh -c 'exit 3'; echo $?", "3\n", 0);
  expect("echo a; echo b ;echo c;", "a\nb\nc\n", 0);
  expect("true && echo yes", "yes\n", 0);
  expect("false && echo yes", "", 1);
  expect("false || echo no", "no\n", 0);
  expect("true || echo no", "", 0);
  expect("false && echo a || echo b", "b\n", 0);
  expect("true && false || echo c; echo $?", "c\n0\n", 0);
  expect("false || false || echo third", "third\n", 0);
  expect("nosuchcommand; echo $?", "sh: nosuchcommand: not found\n127\n", 0);
  expect("exit nine", "sh: exit: nine: numeric argument required\n", 2);
}

static void test_quoting(void) {
  expect("echo 'a  b'   c", "a  b c\n", 0);
  expect("echo \"x  y\" 'z'", "x  y z\n", 0);
  expect("false; echo '$?' \"[$?]\" $?", "$? [1] 1\n", 0);
  expect("echo 'a|b;c&&d' \"<e>\"", "a|b;c&&d <e>\n", 0);
  expect("echo \\; a\\ b \"q\\\"q\"", "; a b q\"q\n", 0);
  expect("echo ''", "\n", 0);
  expect("echo 'open", "sh: syntax error: unterminated quote\n", 2);
  expect("echo a # a comment", "a\n", 0);
  expect("echo a && && echo b", "sh: syntax error near '&&'\n", 2);
  expect("| echo a", "sh: syntax error near '|'\n", 2);
  expect("echo a >", "sh: syntax error near 'newline'\n", 2);
  expect("> /x", "sh: missing command\n", 2);
}

static void test_pipes_and_jobs(void) {
  expect("echo one two | cat | wc", "      1       2       8\n", 0);
  /* 16 commands: the documented limit; 17 are refused with a message */
  expect("echo deep | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat",
         "deep\n", 0);
  expect("echo deep | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat",
         "sh: pipeline too long: at most 16 commands\n", 2);
  expect("false | true; echo $?", "0\n", 0);
  expect("true | false; echo $?", "1\n", 0);
  /* every part of "a & b & c" runs: the two background jobs are waited for, then c */
  int s = sh("echo one > /tmp-a & echo two > /tmp-b & wait; cat /tmp-a /tmp-b; rm /tmp-a /tmp-b");
  CHECK(s == 0 && strstr(out, "one\ntwo\n") && out[0] == '[', "a & b & wait; c: both jobs ran");
  expect("cat < /nosuch", "sh: /nosuch: No such file or directory\n", 1);
  expect("cd /nosuch", "sh: cd: /nosuch: No such file or directory\n", 1);
}

/* Fills the process table, then frees exactly one slot for "sh -c 'true | true'": the shell's own
 * fork then fails, and it must say so and fail rather than print nothing. */
static void test_fork_failure(void) {
  static pid_t pids[100];
  int n = 0;
  for (; n < 100; n++) {
    if ((pids[n] = fork()) == 0) {
      pause();
      _exit(0);
    }
    if (pids[n] < 0)
      break;
  }
  int full = n > 0 && n < 100 && errno == EAGAIN;
  /* one slot for the child that runs sh (the pipe read end needs no process) */
  kill(pids[--n], SIGKILL);
  waitpid(pids[n], 0, 0);
  int s = sh("true | true");
  for (int i = 0; i < n; i++)
    kill(pids[i], SIGKILL);
  while (wait(0) > 0)
    ;
  CHECK(full && s == 1 && strcmp(out, "sh: fork: Resource temporarily unavailable\n") == 0,
        "fork failure: status 1, sh: fork: Resource temporarily unavailable");
}

static void test_commands(void) {
  /* echo used to copy its arguments into a 512-byte buffer */
  static char a[1001], b[1001], c[1001];
  memset(a, 'a', 1000);
  memset(b, 'b', 1000);
  memset(c, 'c', 1000);
  char *argv[] = {"/bin/echo", a, b, c, 0};
  int s = capture(argv);
  int good = strlen(out) == 3003;
  for (int i = 0; good && i < 3003; i++)
    good = out[i] == (i == 3002 ? '\n' : i % 1001 == 1000 ? ' ' : "abc"[i / 1001]);
  CHECK(s == 0 && good, "echo of three 1000-character words: %d bytes", (int)strlen(out));
  char *argv2[] = {"/bin/echo", a + 489, 0};   /* 511 characters: the old buffer's edge */
  s = capture(argv2);
  CHECK(s == 0 && strlen(out) == 512 && out[510] == 'a' && out[511] == '\n', "echo of 511 characters");

  expect("echo hello > /etc/motd/x", "sh: /etc/motd/x: Not a directory\n", 1);
  expect("ls /nosuch", "ls: cannot access '/nosuch': No such file or directory\n", 1);
  expect("poweroff 300", "usage: poweroff [STATUS 0-255]\n", 2);
  expect("poweroff now", "usage: poweroff [STATUS 0-255]\n", 2);
}

/* echo and cat into a pipe whose reader is gone: the write fails with EPIPE (SIGPIPE is ignored,
 * and exec keeps that), and each must report it and exit 1. */
static void test_write_errors(void) {
  signal(SIGPIPE, SIG_IGN);
  char *cmds[][3] = {{"/bin/echo", "hello", 0}, {"/bin/cat", "/etc/motd", 0}};
  const char *want[] = {"echo: write error: Broken pipe", "cat: write error: Broken pipe"};
  for (int i = 0; i < 2; i++) {
    int data[2], err[2];
    pipe(data);
    pipe(err);
    close(data[0]);                    /* no reader */
    pid_t pid = fork();
    if (pid == 0) {
      dup2(data[1], 1);
      dup2(err[1], 2);
      execve(cmds[i][0], cmds[i], 0);
      _exit(99);
    }
    close(data[1]);
    close(err[1]);
    int n = read(err[0], out, sizeof(out) - 1), s = -1;
    out[n > 0 ? n : 0] = 0;
    close(err[0]);
    waitpid(pid, &s, 0);
    int len = strlen(want[i]);
    CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 1 && strncmp(out, want[i], len) == 0 && strcmp(out + len, "\n") == 0,
          "%s into a closed pipe: status 1, %s", cmds[i][0], want[i]);
  }
  signal(SIGPIPE, SIG_DFL);
}

int main(void) {
  printf("shtests: starting\n");
  test_status_and_lists();
  test_quoting();
  test_pipes_and_jobs();
  test_commands();
  test_write_errors();
  test_fork_failure();
  return tests_done("shtests", failures);
}
