/* pic.h: the two cascaded 8259A PICs, remapped so IRQ n is vector PIC_BASE + n. */
#ifndef PIC_H
#define PIC_H

#include <stdint.h>

#define PIC_BASE 0x20

/* ICW1-4: edge triggered, cascade on IRQ2, 8086 mode; every line masked. */
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);

#endif
