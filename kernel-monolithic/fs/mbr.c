/* mbr.c: the MBR partition table of each disk (four primary entries at offset 446, signature
 * 0x55AA): maps dev = DEV(disk, n) to its first sector and size. Partition 0 is the whole disk. */
#include "defs.h"
#include "buf.h"

struct mbr_entry {
  uint8_t status, chs_first[3], type, chs_last[3];
  uint32_t lba, nsectors;
} __attribute__((packed));

static struct {
  uint32_t start, nsectors;
  uint8_t type;
} parts[2][5];                  /* [disk][0 = whole disk, 1-4 = primary partitions] */

int part_lookup(uint32_t dev, uint32_t *start, uint32_t *nsectors) {
  int disk = DEV_DISK(dev), n = DEV_PART(dev);
  if (disk > 1 || n > 4 || parts[disk][n].nsectors == 0)
    return -ENXIO;
  *start = parts[disk][n].start;
  *nsectors = parts[disk][n].nsectors;
  return 0;
}

void part_scan(int disk) {
  uint32_t sectors;
  if (!ata_present(disk, &sectors))
    return;
  parts[disk][0].nsectors = sectors;
  struct buf *b = bread(DEV(disk, 0), 0);
  if (!b)
    return;
  if (b->data[510] == 0x55 && b->data[511] == 0xAA) {
    struct mbr_entry e[4];
    memmove(e, b->data + 446, sizeof(e));
    for (int i = 0; i < 4; i++) {
      if (e[i].type == 0 || e[i].nsectors == 0 || e[i].lba + e[i].nsectors > sectors)
        continue;
      parts[disk][i + 1].start = e[i].lba;
      parts[disk][i + 1].nsectors = e[i].nsectors;
      parts[disk][i + 1].type = e[i].type;
      printk("ata: hd%c%d: type %x, sectors %u-%u (%u MiB)\n", 'a' + disk, i + 1, e[i].type, e[i].lba,
             e[i].lba + e[i].nsectors - 1, e[i].nsectors >> 11);
    }
  }
  brelse(b);
}
