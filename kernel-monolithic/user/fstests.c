/* fstests.c: checks the file-system calls against the test disk that the Makefile builds
 * (target/disk.img: /bin with the user programs, /etc/motd, /etc/big); runs as init=/bin/fstests. */
#include "libc.h"

static int failures;

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "fstests: ok   " : "fstests: FAIL ");              \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

static int run(char *path, char *arg) {
  char *argv[] = {path, arg, 0};
  char *envp[] = {0};
  pid_t pid = fork();
  if (pid == 0) {
    execve(path, argv, envp);
    printf("fstests: exec %s failed, errno %d\n", path, errno);
    exit(127);
  }
  int status = -1;
  waitpid(pid, &status, 0);
  return status;
}

static int file_size(const char *path) {
  struct stat64 st;
  return stat(path, &st) < 0 ? -1 : (int)st.st_size;
}

static int ino(const char *path) {
  struct stat64 st;
  return stat(path, &st) < 0 ? -1 : (int)st.st_ino;
}

static int nlink(const char *path) {
  struct stat64 st;
  return stat(path, &st) < 0 ? -1 : (int)st.st_nlink;
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

static void test_rename(void) {
  char buf[16];
  put("/r1", "one");
  put("/r2", "two");
  CHECK(rename("/r1", "/r3") == 0 && ino("/r1") == -1 && file_size("/r3") == 3, "rename a file");
  CHECK(rename("/r3", "/r2") == 0 && ino("/r3") == -1, "rename over an existing file");
  int fd = open("/r2", O_RDONLY);
  buf[read(fd, buf, sizeof(buf))] = 0;
  close(fd);
  CHECK(strcmp(buf, "one") == 0, "the target now has the renamed contents: %s", buf);
  CHECK(link("/r2", "/r4") == 0 && nlink("/r2") == 2 && ino("/r2") == ino("/r4"), "link: two names, 2 links");
  CHECK(unlink("/r2") == 0 && nlink("/r4") == 1 && file_size("/r4") == 3, "unlink one name, the other stays");
  CHECK(mkdir("/p1", 0755) == 0 && mkdir("/p2", 0755) == 0 && mkdir("/p1/d", 0755) == 0, "mkdir /p1 /p2 /p1/d");
  CHECK(link("/p1", "/p3") == -1 && errno == EPERM, "link a directory -> EPERM");
  CHECK(rename("/p1", "/p1/d/x") == -1 && errno == EINVAL, "move a directory below itself -> EINVAL");
  CHECK(rename("/p1/d", "/p2/d") == 0 && nlink("/p1") == 2 && nlink("/p2") == 3, "move a directory: link counts");
  CHECK(ino("/p2/d/..") == ino("/p2"), "its .. follows it");
  CHECK(rename("/r4", "/p2") == -1 && errno == EISDIR, "file over directory -> EISDIR");
  CHECK(rename("/p2/d", "/r4") == -1 && errno == ENOTDIR, "directory over file -> ENOTDIR");
  CHECK(rmdir("/p2/d") == 0 && rmdir("/p2") == 0 && rmdir("/p1") == 0 && unlink("/r4") == 0, "clean up");
}

static void test_writes(void) {
  char buf[64];
  int fd = open("/tmp1", O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0 && write(fd, "hello, ", 7) == 7 && write(fd, "disk\n", 5) == 5 && close(fd) == 0,
        "create /tmp1 and write 12 bytes");
  CHECK(file_size("/tmp1") == 12, "its size is 12");
  CHECK(open("/tmp1", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST, "O_EXCL -> EEXIST");
  fd = open("/tmp1", O_WRONLY | O_APPEND);
  CHECK(fd >= 0 && write(fd, "more\n", 5) == 5 && close(fd) == 0 && file_size("/tmp1") == 17, "O_APPEND");
  fd = open("/tmp1", O_RDONLY);
  int n = read(fd, buf, sizeof(buf));
  close(fd);
  CHECK(n == 17 && memcmp(buf, "hello, disk\nmore\n", 17) == 0, "read back what was written");
  fd = open("/tmp1", O_RDONLY);
  CHECK(write(fd, "x", 1) == -1 && errno == EBADF, "write on a read-only fd -> EBADF");
  CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync on a file");
  close(fd);
  CHECK(fsync(fd) == -1 && errno == EBADF, "fsync on a closed fd -> EBADF");
  int pfd[2];
  CHECK(pipe(pfd) == 0 && fsync(pfd[1]) == -1 && errno == EINVAL, "fsync on a pipe -> EINVAL");
  close(pfd[0]);
  close(pfd[1]);
  /* one write bigger than a journal transaction (64 blocks): committed in several, still whole */
  static char chunk[200000];
  for (int i = 0; i < (int)sizeof(chunk); i++)
    chunk[i] = (char)(i * 13 + (i >> 10));
  fd = open("/tmp.big", O_RDWR | O_CREAT | O_TRUNC, 0644);
  n = fd >= 0 ? write(fd, chunk, sizeof(chunk)) : -1;
  int same = 0, m;
  if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
    for (int i = 0; (m = read(fd, buf, sizeof(buf))) > 0; i += m)
      same += memcmp(buf, chunk + i, m) == 0 ? m : 0;
  close(fd);
  CHECK(n == (int)sizeof(chunk) && same == (int)sizeof(chunk) && unlink("/tmp.big") == 0,
        "a 200000-byte write reads back whole (%d bytes the same)", same);
  fd = open("/tmp1", O_RDWR | O_TRUNC);
  CHECK(fd >= 0 && file_size("/tmp1") == 0, "O_TRUNC empties it");
  close(fd);

  /* 300000 bytes in 1000-byte writes: direct, indirect and double-indirect blocks get allocated */
  static unsigned char big[1000];
  fd = open("/big2", O_RDWR | O_CREAT, 0644);
  int ok = fd >= 0;
  for (int i = 0; ok && i < 300; i++) {
    for (int j = 0; j < 1000; j++)
      big[j] = (unsigned char)((i * 1000 + j) * 7);
    ok = write(fd, big, 1000) == 1000;
  }
  CHECK(ok && file_size("/big2") == 300000, "write 300000 bytes");
  int bad = 0, total = 0;
  lseek(fd, 0, SEEK_SET);
  while ((n = read(fd, big, 777)) > 0) {
    for (int k = 0; k < n; k++)
      bad += big[k] != (unsigned char)((total + k) * 7);
    total += n;
  }
  close(fd);
  CHECK(total == 300000 && bad == 0, "read it back: %d bytes, %d wrong", total, bad);

  CHECK(mkdir("/d", 0755) == 0 && mkdir("/d/e", 0755) == 0, "mkdir /d /d/e");
  CHECK(mkdir("/d", 0755) == -1 && errno == EEXIST, "mkdir existing -> EEXIST");
  fd = open("/d/e/f", O_WRONLY | O_CREAT, 0644);
  CHECK(fd >= 0 && write(fd, "f\n", 2) == 2 && close(fd) == 0, "create /d/e/f");
  struct stat64 st;
  CHECK(stat("/d", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 3, "/d has 3 links (%u)", st.st_nlink);
  CHECK(rmdir("/d/e") == -1 && errno == ENOTEMPTY, "rmdir non-empty -> ENOTEMPTY");
  CHECK(unlink("/d/e") == -1 && errno == EISDIR, "unlink a directory -> EISDIR");
  CHECK(rmdir("/d/e/f") == -1 && errno == ENOTDIR, "rmdir a file -> ENOTDIR");
  CHECK(unlink("/d/e/f") == 0 && rmdir("/d/e") == 0 && rmdir("/d") == 0, "unlink f, rmdir e and d");
  CHECK(stat("/d", &st) == -1 && errno == ENOENT, "/d is gone");

  /* many entries: the directory grows past one block, then shrinks back */
  mkdir("/many", 0755);
  ok = 1;
  for (int i = 0; ok && i < 60; i++) {
    snprintf(buf, sizeof(buf), "/many/a-rather-long-file-name-%d", i);
    fd = open(buf, O_WRONLY | O_CREAT, 0644);
    ok = fd >= 0 && close(fd) == 0;
  }
  CHECK(ok && stat("/many", &st) == 0 && st.st_size > 1024, "60 files: the directory grew to %d bytes",
        (int)st.st_size);
  for (int i = 0; ok && i < 60; i++) {
    snprintf(buf, sizeof(buf), "/many/a-rather-long-file-name-%d", i);
    ok = unlink(buf) == 0;
  }
  CHECK(ok && rmdir("/many") == 0, "and all removed");

  /* an open file that is unlinked stays readable until closed */
  fd = open("/tmp1", O_RDWR);
  write(fd, "still here", 10);
  CHECK(unlink("/tmp1") == 0 && file_size("/tmp1") == -1, "unlink an open file");
  lseek(fd, 0, SEEK_SET);
  n = read(fd, buf, 10);
  CHECK(n == 10 && memcmp(buf, "still here", 10) == 0 && close(fd) == 0, "still readable through its fd");
  CHECK(unlink("/big2") == 0, "unlink /big2");
  test_rename();
}

/* Executables with corrupted headers: exec must fail cleanly or the program must die in user
 * mode; the kernel must survive all of them. */
static void test_bad_elf(void) {
  int len;
  unsigned char *good = readfile("/bin/echo", &len);
  unsigned seed = 12345;
  int failed = 0, ran = 0, killed = 0;
  for (int i = 0; good && i < 40; i++) {
    unsigned char *img = malloc(len);
    memcpy(img, good, len);
    for (int k = 0; k < 4; k++) {       /* 4 random bytes in the ELF and program headers, */
      seed = seed * 1103515245 + 12345;
      int at = (seed >> 8) % 0x74;
      bool memsz = (at >= 0x48 && at < 0x4C) || (at >= 0x68 && at < 0x6C);
      bool phtable = (at >= 0x1C && at < 0x20) || (at >= 0x2C && at < 0x2E);
      if (!memsz && !phtable)           /* but not the sizes: a 100 MiB segment is legal, */
        img[at] = seed >> 24;           /* just slow to zero on an emulator */
    }
    int fd = open("/badelf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, img, len);
    close(fd);
    free(img);
    int s = run("/badelf", 0);
    if (WIFSIGNALED(s))
      killed++;
    else if (WEXITSTATUS(s) == 127)
      failed++;
    else
      ran++;
  }
  unlink("/badelf");
  CHECK(good && failed + ran + killed == 40, "40 corrupted executables: %d refused, %d ran, %d killed",
        failed, ran, killed);
}

int main(void) {
  char buf[64];
  printf("fstests: starting\n");
  int fd = open("/etc/motd", O_RDONLY);
  int n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
  buf[n > 0 ? n : 0] = 0;
  CHECK(fd >= 0 && strcmp(buf, "hello from ext2\n") == 0, "read /etc/motd: %s", buf);
  CHECK(read(fd, buf, sizeof(buf)) == 0, "then end of file");
  CHECK(lseek(fd, 6, SEEK_SET) == 6 && read(fd, buf, 4) == 4 && memcmp(buf, "from", 4) == 0, "lseek");
  struct stat64 st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == 16 && S_ISREG(st.st_mode), "fstat: size %d", (int)st.st_size);
  close(fd);

  /* /etc/big: 300000 bytes, byte i = (i * 7) & 0xFF: exercises indirect and double-indirect blocks */
  fd = open("/etc/big", O_RDONLY);
  static unsigned char big[4096];
  int total = 0, bad = 0;
  while ((n = read(fd, big, 3000)) > 0) {
    for (int i = 0; i < n; i++)
      bad += big[i] != (unsigned char)((total + i) * 7);
    total += n;
  }
  CHECK(fd >= 0 && total == 300000 && bad == 0, "read /etc/big: %d bytes, %d wrong", total, bad);
  CHECK(lseek(fd, 280000, SEEK_SET) == 280000 && read(fd, big, 1) == 1 &&
        big[0] == (unsigned char)(280000 * 7), "lseek into the double-indirect range");
  close(fd);

  CHECK(open("/etc/nothing", O_RDONLY) == -1 && errno == ENOENT, "missing file -> ENOENT");
  CHECK(open("/etc/motd/x", O_RDONLY) == -1 && errno == ENOTDIR, "file as directory -> ENOTDIR");
  CHECK(open((char *)0xC0000000, O_RDONLY) == -1 && errno == EFAULT, "kernel path -> EFAULT");
  fd = open("/etc", O_RDONLY);
  CHECK(read(fd, buf, 1) == -1 && errno == EISDIR, "read a directory -> EISDIR");
  close(fd);

  CHECK(chdir("/etc") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/etc") == 0, "chdir /etc: %s", buf);
  CHECK(stat("motd", &st) == 0 && st.st_size == 16, "relative path");
  CHECK(chdir("..") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0, "chdir ..: %s", buf);
  CHECK(chdir("/etc/motd") == -1 && errno == ENOTDIR, "chdir to a file -> ENOTDIR");

  int s = run("/bin/ls", "/etc");
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0, "exec /bin/ls from ext2");
  s = run("/bin/cat", "/etc/motd");
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0, "exec /bin/cat from ext2");
  s = run("/etc/motd", 0);
  CHECK(WEXITSTATUS(s) == 127, "exec of a non-executable fails");

  test_writes();
  test_bad_elf();
  return tests_done("fstests", failures);
}
