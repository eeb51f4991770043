# applets.sh: busybox applets on kernel-monolithic (BusyboxTest); run as `busybox sh /etc/applets.sh`.
# Each section starts with a "==name" line; the x87 ones run in their own shell so that the
# SIGFPE they get without an FPU ends only that shell.
echo ==echo
echo hello busybox
echo ==uname
uname -a
echo ==ls
ls -l /
echo ==meminfo
cat /proc/meminfo
echo ==arith
sh -c 'echo $((6*7))'
echo ==forwc
for i in 1 2 3 4 5; do echo line$i; done | wc -l
echo ==md5sum
echo "the quick brown fox" > /md5.txt
md5sum /md5.txt
echo ==find
find / -name '*.ko'
echo ==ps
ps
echo ==date
date
echo ==sort
printf 'pear\napple\nfig\n' | sort
echo ==sed
echo hello world | sed 's/world/jx86/'
echo ==grep
printf 'a\nbb\nabc\n' | grep a
echo ==dd
dd if=/dev/zero of=/f bs=1k count=64
ls -l /f
echo ==sync
sync && echo synced
echo ==hexdump
printf 'ABC\n' | hexdump -C
echo ==tar
cd / && tar cf /t.tar md5.txt && tar tf /t.tar
echo ==gzip
echo compress me | gzip -c > /g.gz && gzip -dc /g.gz
echo ==free
free
echo ==uptime
uptime
echo ==id
id
echo ==mount
mount
echo ==df
df
echo ==kill
sleep 100 &
kill $! && wait $!; echo "killed status $?"
echo ==trap
trap 'echo got USR1' USR1; kill -USR1 $$; echo after trap
echo ==awk
sh -c "awk 'BEGIN{print 1+2}'"; echo "status $?"
echo ==printf
sh -c "printf '%.2f\n' 3.14159"; echo "status $?"
echo ==seq
sh -c "seq 1 5"; echo "status $?"
echo ==sleep
sh -c "sleep 1 && echo slept"; echo "status $?"
echo ==cpuinfo
cat /proc/cpuinfo
echo ==end
