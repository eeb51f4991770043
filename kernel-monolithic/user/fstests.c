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
  CHECK(open("/etc/motd", O_WRONLY) == -1 && errno == EROFS, "write open -> EROFS (read-only for now)");
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

  printf(failures ? "fstests: %d FAILED\n" : "fstests: all passed\n", failures);
  reboot(RB_POWER_OFF);
  return 1;
}
